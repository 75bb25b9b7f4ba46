"""Batch runs over many articles: one run store, resume through the cache, per-article failures, cost.

:func:`run_batch` takes the inputs of :func:`summarizer.inputs.read_inputs` and a :class:`~summarizer.store.RunStore`:

- **Every input is recorded**: an unreadable one is an ``errors`` row at once; an article is either a result
  (all its rows in one transaction) or an error row (its error type, message and attempts), and the run goes on.
  It stops early only when the model file is unusable or the endpoint was unreachable for
  :data:`MAX_UNREACHABLE` articles in a row; the articles not attempted are error rows saying so.
- **The store is the cache**, and the cache is how a run resumes: an article whose text hash already has a result
  under the same :func:`cache_key` (the model and its file's hash or endpoint, the pipeline, the hashes of its
  prompt templates, the package version, which fixes the schemas and the program's rules, and every setting that
  changes the output) is served from the store with no model call and marked ``cached``. A run killed at any point
  loses only the article in flight: re-running the same command serves the finished ones from the store.
  ``use_cache=False`` calls the model for every article (and still writes the results).
  The model is started only if some article needs it.
- **Concurrency** (``concurrency`` > 1, remote endpoints only): that many worker threads, each with its own
  client, so each call's retry and usage accounting stays its own; the openai client retries 429 and 5xx with
  backoff and honours Retry-After (``summarizer/calls.py``). The embedded server runs one article at a time.
- **Cost**: tokens × the model's price per million tokens from ``Settings.prices`` (the embedded model costs 0;
  a model with no price has no cost, never a guess).

``on_result`` and ``on_error`` are called as each article finishes (from the calling thread), so output is
written as the run goes.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

from . import __version__
from .api import Summarizer
from .backends import BACKENDS
from .backends.modelfile import DEFAULT_MODEL, file_sha256
from .config import Settings
from .errors import BackendError, ModelFileError, SummarizerError
from .inputs import ArticleInput
from .pipeline import prompt_name
from .prompts import prompts_dir
from .schemas import ArticleSummary
from .store import RunStore

MAX_UNREACHABLE = 3  # endpoint unreachable for this many articles in a row: stop the run
# Settings that change what a summary contains (the cache key); the others (timeouts, threads, paths) do not.
OUTPUT_SETTINGS = (
    "pipeline", "mode", "prompt", "strict", "normalize", "temperature", "seed", "max_tokens", "max_retries",
    "n_ctx", "chunk_tokens", "chunk_overlap", "max_chunks", "fuzzy_threshold",
)  # fmt: skip

Around = Callable[[ArticleInput], AbstractContextManager[object]]


def model_identity(settings: Settings) -> str:
    """The model behind the settings: an endpoint and model name, or the embedded GGUF file's SHA-256."""
    if settings.backend == "remote":
        return f"{settings.base_url}#{settings.model or BACKENDS['remote'].default_model}"
    if settings.model_path is not None:
        return f"{settings.model or settings.model_path.name}@{file_sha256(settings.model_path)}"
    return f"{settings.model or DEFAULT_MODEL.name}@{DEFAULT_MODEL.sha256}"


def prompt_hashes(settings: Settings) -> list[dict[str, str]]:
    """Name and SHA-256 of every template file of the pipeline's prompt."""
    name = prompt_name(settings.pipeline, settings)
    files = sorted(prompts_dir(settings).glob(f"{name}.*.j2"))
    return [{"name": f.name, "sha256": hashlib.sha256(f.read_bytes()).hexdigest()} for f in files]


def cache_key(settings: Settings) -> str:
    """What must be equal for a stored summary to stand for a new model call (see the module docstring)."""
    key = {
        "model": model_identity(settings),
        "prompts": prompt_hashes(settings),
        "version": __version__,
        "settings": {k: getattr(settings, k) for k in OUTPUT_SETTINGS},
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()


def cost(settings: Settings, model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
    """USD for the tokens at the model's price per million (``Settings.prices``); 0 on the embedded backend, None
    for a model with no price."""
    rate = (0.0, 0.0) if settings.backend == "embedded" else settings.prices.get(model)
    if rate is None:
        return None
    return round((prompt_tokens * rate[0] + completion_tokens * rate[1]) / 1e6, 6)


@dataclass
class BatchReport:
    """What a batch run did."""

    run_id: str
    store: str
    articles: int = 0
    done: int = 0
    failed: int = 0
    cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    wall_seconds: float = 0.0
    cost: float | None = None
    exit_codes: list[int] = field(default_factory=list)  # of the failed articles, in order


def _summarize_one(summarizer: Summarizer, item: ArticleInput, around: Around | None) -> ArticleSummary:
    assert item.article is not None
    with around(item) if around else nullcontext():
        return summarizer.summarize_article(item.article)


def run_batch(
    inputs: list[ArticleInput],
    settings: Settings,
    store: RunStore,
    *,
    command: str = "summarize",
    use_cache: bool = True,
    concurrency: int = 1,
    around: Around | None = None,
    on_result: Callable[[ArticleInput, ArticleSummary, bool], None] | None = None,
    on_error: Callable[[ArticleInput, SummarizerError], None] | None = None,
    summarizer: Summarizer | None = None,
) -> BatchReport:
    """Run every input into ``store`` (rules: the module docstring); ``summarizer`` reuses an open one."""
    t0 = time.perf_counter()
    key = cache_key(settings)
    model = settings.model or BACKENDS[settings.backend].default_model
    run_id = store.start_run(
        command=command, pipeline=settings.pipeline, model=model, backend=settings.backend,
        settings=settings.describe(), prompts=prompt_hashes(settings), cache_key=key,
    )  # fmt: skip
    report = BatchReport(run_id=run_id, store=str(store.path), articles=len(inputs))
    status = "failed"

    def failed(item: ArticleInput, exc: SummarizerError, notify: bool = True) -> None:
        store.add_error(
            run_id, article_id=item.id, source=item.source, error_type=type(exc).__name__, message=exc.message,
            attempts=getattr(exc, "attempts", None),
        )  # fmt: skip
        report.failed += 1
        report.exit_codes.append(exc.exit_code)
        if on_error and notify:
            on_error(item, exc)

    def finished(item: ArticleInput, summary: ArticleSummary, cached: bool) -> None:
        assert item.article is not None and item.sha256 is not None
        store.add_result(
            run_id, article_id=item.id, source=item.source, text_sha256=item.sha256,
            published=item.article.published, meta=item.article.meta, summary=summary, cache_key=key, cached=cached,
        )  # fmt: skip
        report.done += 1
        report.cached += cached
        if not cached and summary.meta:
            report.prompt_tokens += summary.meta.usage.prompt_tokens
            report.completion_tokens += summary.meta.usage.completion_tokens
        if on_result:
            on_result(item, summary, cached)

    try:
        todo: list[ArticleInput] = []
        for item in inputs:
            if item.error is not None or item.article is None:
                failed(item, item.error or SummarizerError(f"{item.source}: unreadable"), True)
                continue
            hit = store.cached(key, item.sha256 or "") if use_cache else None
            if hit is not None:
                finished(item, hit, True)
            else:
                todo.append(item)
        if todo:
            if concurrency > 1 and settings.backend == "remote":
                _run_parallel(todo, settings, concurrency, around, finished, failed)
            else:
                _run_serial(todo, settings, summarizer, around, finished, failed)
        status = "finished"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        report.wall_seconds = round(time.perf_counter() - t0, 2)
        tokens = (report.prompt_tokens, report.completion_tokens)
        report.cost = cost(settings, model, *tokens)
        store.finish_run(
            run_id, status=status, articles=report.articles, failed=report.failed, cached=report.cached,  # type: ignore[arg-type]
            prompt_tokens=tokens[0], completion_tokens=tokens[1], wall_seconds=report.wall_seconds, cost=report.cost,
        )  # fmt: skip
    return report


def _run_serial(
    todo: list[ArticleInput],
    settings: Settings,
    summarizer: Summarizer | None,
    around: Around | None,
    finished: Callable[[ArticleInput, ArticleSummary, bool], None],
    failed: Callable[[ArticleInput, SummarizerError, bool], None],
) -> None:
    """One article at a time on one open backend; stops on an unusable model file or a dead endpoint, recording
    the articles not attempted (and reporting the stop once)."""
    own = summarizer is None
    s = summarizer or Summarizer(settings)
    try:
        unreachable = 0
        for i, item in enumerate(todo):
            try:
                finished(item, _summarize_one(s, item, around), False)
                unreachable = 0
            except ModelFileError as exc:  # every other article would fail the same way
                for k, rest in enumerate(todo[i:]):
                    failed(rest, exc, k == 0)
                return
            except BackendError as exc:
                failed(item, exc, True)
                unreachable = unreachable + 1 if exc.unreachable else 0
                left = todo[i + 1 :]
                if unreachable == MAX_UNREACHABLE and left:
                    stop = BackendError(
                        f"stopping: the endpoint was unreachable for {unreachable} articles in a row; "
                        f"{len(left)} article(s) not attempted, from {left[0].source}",
                        base_url=exc.base_url, unreachable=True,
                    )  # fmt: skip
                    for k, item_left in enumerate(left):
                        failed(item_left, stop, k == 0)
                    return
            except SummarizerError as exc:
                failed(item, exc, True)
    finally:
        if own:
            s.close()


def _run_parallel(
    todo: list[ArticleInput],
    settings: Settings,
    concurrency: int,
    around: Around | None,
    finished: Callable[[ArticleInput, ArticleSummary, bool], None],
    failed: Callable[[ArticleInput, SummarizerError, bool], None],
) -> None:
    """``concurrency`` workers, each with its own client; results are recorded from this thread as they come."""
    local = threading.local()
    made: list[Summarizer] = []

    def work(item: ArticleInput) -> ArticleSummary:
        if getattr(local, "s", None) is None:
            local.s = Summarizer(settings)
            made.append(local.s)
        return _summarize_one(local.s, item, around)

    try:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            pending: dict[Future[ArticleSummary], ArticleInput] = {}
            queue = iter(todo)
            for item in queue:
                pending[pool.submit(work, item)] = item
                if len(pending) >= concurrency:
                    break
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    item = pending.pop(fut)
                    exc = fut.exception()
                    if exc is None:
                        finished(item, fut.result(), False)
                    elif isinstance(exc, SummarizerError):
                        failed(item, exc, True)
                    else:
                        raise exc
                    nxt = next(queue, None)
                    if nxt is not None:
                        pending[pool.submit(work, nxt)] = nxt
    finally:
        for s in made:
            s.close()
