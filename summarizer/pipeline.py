"""One article through the model: chunk → render the prompt → call (instructor) → validate → align → merge.

Pipelines are named in :data:`PIPELINES` (keyed by :data:`summarizer.choices.PipelineName`, the names
``Settings.pipeline`` is checked against); each maps an article (or one chunk of a long one, see
:mod:`summarizer.chunks`) to an :class:`~summarizer.schemas.Extraction` plus usage. Sentences addressed to a
model are withheld from the prompt (:mod:`summarizer.guard`). Whatever the pipeline, :func:`ground` then aligns
every quote (see :mod:`summarizer.align`), applies the date rule and flags each record; with ``strict`` the
ungrounded records are dropped. Records of several chunks are merged. No I/O here beyond the client.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import typing
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, Field, create_model

from . import __version__
from .align import Aligner
from .articles import Article
from .backends import Connection
from .backends.prefix import Outcome
from .calls import call_model
from .categories import REGISTRY
from .choices import PipelineName, is_pipeline
from .chunks import Chunk, merge_records, plan_chunks
from .config import Settings
from .detect import PROMPT as DETECT_PROMPT
from .detect import plan_call
from .errors import ArticleTooLongError, ConfigError
from .guard import plausible_date, screen
from .normalize import normalize
from .plans import PLANS
from .prompts import prefix_messages, render_messages
from .schemas import (
    CATEGORIES,
    ArticleSummary,
    CitedExtraction,
    Extracted,
    Extraction,
    ModelFileRef,
    PromptRef,
    RunMeta,
    Span,
    Usage,
)
from .sentences import numbered

CHARS_PER_TOKEN = 3.5  # conservative for English news with Qwen's tokenizer (measured ≈ 4.3)
PROMPT_OVERHEAD_TOKENS = 3000  # system prompt + tool schema: the server logs a 2,943-2,951-token cached prefix
MIN_CHUNK_TOKENS = 256


def chunk_chars(n_ctx: int | None, settings: Settings) -> int | None:
    """Longest chunk in characters: ``chunk_tokens``, else what the known context leaves; None: no chunking."""
    tokens = settings.chunk_tokens
    if tokens is None and n_ctx is not None:
        tokens = n_ctx - PROMPT_OVERHEAD_TOKENS - settings.max_tokens
    if tokens is None:
        return None
    if tokens < MIN_CHUNK_TOKENS:
        raise ConfigError(
            f"the model context leaves {tokens} tokens for the article; at least {MIN_CHUNK_TOKENS} are needed "
            "(raise --n-ctx or lower --max-tokens)"
        )
    return int(tokens * CHARS_PER_TOKEN)


def plan(article: Article, n_ctx: int | None, settings: Settings) -> list[Chunk]:
    """The article's chunks (one when it fits) for a context of ``n_ctx`` tokens (None: unknown); more than
    ``max_chunks`` is refused before any model call."""
    max_chars = chunk_chars(n_ctx, settings)
    if max_chars is None:
        return [Chunk(0, 0, article.text)]
    chunks = plan_chunks(article.text, max_chars, settings.chunk_overlap)
    if len(chunks) > settings.max_chunks:
        raise ArticleTooLongError(
            article.source, int(len(article.text) / CHARS_PER_TOKEN), len(chunks), settings.max_chunks
        )
    return chunks


def _schema_text(conn: Connection, model: type[BaseModel]) -> str | None:
    """The JSON schema for the system prompt, when the output mode shows the model no tool definition."""
    return _json_schema(model) if conn.mode.schema_in_prompt else None


@lru_cache(maxsize=16)
def _json_schema(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(), ensure_ascii=False)


def _render(
    conn: Connection, name: str, article: Article, settings: Settings, model: type[BaseModel], **extra: Any
) -> tuple[list[dict[str, str]], list[PromptRef]]:
    """Render prompt ``name`` for ``article``, with the schema in the system prompt when the mode says so."""
    published = article.published.isoformat() if article.published else None
    schema = _schema_text(conn, model)
    return render_messages(name, settings, article=article.text, published=published, schema=schema, **extra)


def single_call(conn: Connection, article: Article, settings: Settings) -> Extracted:
    """All four categories and the summary in one call; the model quotes its evidence verbatim.

    The system prompt and the tool schema come first and are the same for every article, so llama.cpp's prompt
    cache reuses them; only the article's tokens are processed anew.
    """
    text = article.text
    for s, e in reversed(screen(text).withheld_spans):  # withheld sentences become "[…]" in the prompt
        text = text[:s] + "[…]" + text[e:]
    messages, refs = _render(conn, prompt_name("single", settings), replace(article, text=text), settings, Extraction)
    extraction, usage = call_model(conn, messages, settings, article.source, Extraction)
    return Extracted(extraction, usage, refs)


def cited_call(conn: Connection, article: Article, settings: Settings) -> Extracted:
    """One call; the article is shown as numbered sentences and records cite sentence numbers, not quotes.

    The program turns each cited number into the verbatim sentence (see :mod:`summarizer.sentences`), so evidence
    costs the model one or two tokens instead of dozens and always lies in the article. Sentences withheld from
    the model (:mod:`summarizer.guard`) are left out and the rest numbered without gaps. A number outside the
    list is kept as the text ``[sentence N]``, which does not align: that record is flagged ungrounded.
    """
    return _cited(conn, article, settings, CitedExtraction, prompt_name("cited", settings))


@lru_cache(maxsize=1)
def lean_extraction_model() -> type[BaseModel]:
    """:class:`CitedExtraction` without each category's ``lean_drop`` fields (the least reliable, most verbose
    ones): a smaller schema and fewer output tokens."""
    lists: dict[str, Any] = {}
    for name, field in CitedExtraction.model_fields.items():
        if name == "summary":
            lists[name] = (field.annotation, field)
            continue
        (record_cls,) = typing.get_args(field.annotation)
        drop = set(REGISTRY[name].lean_drop)
        fields: dict[str, Any] = {
            f: (info.annotation, info) for f, info in record_cls.model_fields.items() if f not in drop
        }
        lean = create_model(str(record_cls.__name__), __doc__=str(record_cls.__doc__), **fields)
        lists[name] = (list[lean], Field(max_length=10))  # type: ignore[valid-type]
    return create_model("CitedExtraction", __doc__=CitedExtraction.__doc__, **lists)


def lean_call(conn: Connection, article: Article, settings: Settings) -> Extracted:
    """As ``cited``, with each category's ``lean_drop`` fields left out of the schema (they are output as null)."""
    return _cited(conn, article, settings, lean_extraction_model(), prompt_name("lean", settings))


def _cited(conn: Connection, article: Article, settings: Settings, model: type[BaseModel], prompt: str) -> Extracted:
    spans = screen(article.text).visible  # what the model sees, numbered anew
    messages, refs = _render(conn, prompt, article, settings, model, sentences=numbered(article.text, spans))
    cited, usage = call_model(conn, messages, settings, article.source, model)
    lists: dict[str, list[Any]] = {}
    for cat in CATEGORIES:
        lists[cat] = []
        for rec in getattr(cited, cat):
            numbers = list(dict.fromkeys(rec.sentences))
            quotes = [article.text[slice(*spans[n - 1])] if n <= len(spans) else f"[sentence {n}]" for n in numbers]
            # The fields were validated in ``cited``; the quotes are the article's own sentences, which the
            # model-facing quote length cap does not apply to, so the record is built without re-validation.
            lists[cat].append(
                REGISTRY[cat].fields.model_construct(**rec.model_dump(exclude={"sentences"}), evidence=quotes)
            )
    return Extracted(Extraction(summary=getattr(cited, "summary"), **lists), usage, refs)  # noqa: B009


Call = Callable[[Connection, Article, Settings], Extracted]


@dataclass(frozen=True)
class PipelineSpec:
    """One pipeline: its call, its default prompt template and the model it asks the model to fill."""

    call: Call
    prompt: str
    response_model: Callable[[], type[BaseModel]]


PIPELINES: dict[PipelineName, PipelineSpec] = {  # keyed by the names in summarizer.choices
    "cited": PipelineSpec(cited_call, "cited", lambda: CitedExtraction),
    "single": PipelineSpec(single_call, "extract", lambda: Extraction),
    "lean": PipelineSpec(lean_call, "lean", lean_extraction_model),
    # every plan of summarizer.plans.PLANS (detect, detect-window, percat, the scan family): one prompt, one runner
    **{name: PipelineSpec(plan_call(name), DETECT_PROMPT, lambda: Extraction) for name in PLANS if is_pipeline(name)},
}


def prompt_name(pipeline: PipelineName, settings: Settings) -> str:
    """The prompt template a pipeline renders: ``settings.prompt``, else the pipeline's own."""
    return settings.prompt or PIPELINES[pipeline].prompt


def pipeline_prefix(conn: Connection, settings: Settings) -> tuple[str, list[dict[str, str]]]:
    """The configured pipeline's prompt name and its messages with every article-dependent value blank."""
    spec = PIPELINES[settings.pipeline]
    name = prompt_name(settings.pipeline, settings)
    return name, prefix_messages(name, _schema_text(conn, spec.response_model()), settings)


def load_prefix(conn: Connection, settings: Settings) -> Outcome | None:
    """Put the configured pipeline's fixed prompt prefix into the embedded server now (restored from a saved state,
    or read and saved); what it did, or None when the connection keeps no prefixes."""
    return conn.load_prefix(*pipeline_prefix(conn, settings))


def _dedupe(records: list[Any], scores: list[float] | None) -> list[tuple[Any, float | None]]:
    """Drop exact repeats (same fields and same evidence), a small model's looping; keep the first of each, with
    its score when the pipeline scored its records."""
    paired: list[float | None] = list(scores) if scores is not None else [None] * len(records)
    seen: set[str] = set()
    kept = []
    for rec, score in zip(records, paired, strict=True):
        key = rec.model_dump_json()
        if key not in seen:
            seen.add(key)
            kept.append((rec, score))
    return kept


def ground(
    extraction: Extraction,
    text: str,
    settings: Settings,
    offset: int = 0,
    published: dt.date | None = None,
    scores: dict[str, list[float]] | None = None,
) -> dict[str, list[Any]]:
    """Drop repeated records, align each record's evidence in ``text``, apply the date rule
    (:func:`summarizer.guard.plausible_date`) and build output records.

    ``text`` sits at ``offset`` in the article; spans are shifted by it, so they refer to the whole article.
    With ``strict`` the ungrounded records are dropped; otherwise they are kept with ``grounded=False``.
    """
    aligner = Aligner(text, settings.fuzzy_threshold)
    out: dict[str, list[Any]] = {}
    for cat in CATEGORIES:
        records = []
        for rec, score in _dedupe(getattr(extraction, cat), (scores or {}).get(cat)):
            spans, grounded = aligner.ground(rec.evidence)
            if settings.strict and not grounded:
                continue
            spans = [s.shifted(offset) for s in spans]
            fields = rec.model_dump()
            if not plausible_date(fields.get("date"), rec.evidence, published):
                fields["date"] = None
            records.append(REGISTRY[cat].output(**fields, spans=spans, grounded=grounded, score=score))
        out[cat] = records
    return out


def run(conn: Connection, article: Article, settings: Settings) -> ArticleSummary:
    """Summarize one article over an open connection: chunk it if needed, extract, ground, merge."""
    pipeline = PIPELINES[settings.pipeline].call
    chunks = plan(article, conn.n_ctx, settings)
    load_prefix(conn, settings)  # the fixed prefix into the embedded server, once per connection
    hidden: set[tuple[int, int]] = set()  # what the pipelines withheld, in whole-article offsets
    t0 = time.perf_counter()
    usage = Usage()
    summaries: list[str] = []
    per_chunk: list[dict[str, list[Any]]] = []
    refs: list[PromptRef] = []
    scores: list[dict[str, float]] = []
    topics: list[float] = []
    for chunk in chunks:
        part = chunk.article(article)
        if len(chunks) > 1:
            part = replace(part, source=f"{article.source} (chunk {chunk.index + 1}/{len(chunks)})")
        extraction, used, refs, sentence_scores, record_scores, topic = pipeline(conn, part, settings)
        scores.extend(sentence_scores or [])
        topics += [topic] if topic is not None else []
        usage += used
        summaries.append(extraction.summary.strip())
        per_chunk.append(ground(extraction, chunk.text, settings, chunk.offset, article.published, record_scores))
        hidden.update((s + chunk.offset, e + chunk.offset) for s, e in screen(chunk.text).withheld_spans)
    meta = RunMeta(
        model=conn.model,
        model_file=(
            ModelFileRef(name=conn.model_file.name, sha256=conn.model_file.sha256, verified=conn.model_file.verified)
            if conn.model_file
            else None
        ),
        backend=conn.backend.name,
        pipeline=settings.pipeline,
        prompts=refs,
        usage=usage,
        seconds=round(time.perf_counter() - t0, 2),
        version=__version__,
        chunks=len(chunks),
        source_format="html" if article.meta.get("format") == "html" else "text",
        withheld=[
            Span(quote=article.text[s:e], start=s, end=e, method="exact", score=100.0) for s, e in sorted(hidden)
        ],
        prefix=conn.loaded.get(prompt_name(settings.pipeline, settings)),
        sentence_scores=scores or None,
        topic_scores=topics or None,
    )
    records = {cat: merge_records(cat, [c[cat] for c in per_chunk]) for cat in CATEGORIES}
    summary = ArticleSummary.model_validate(
        {"published": article.published, "summary": " ".join(s for s in summaries if s), "meta": meta, **records}
    )
    return normalize(summary, article.text) if settings.normalize else summary
