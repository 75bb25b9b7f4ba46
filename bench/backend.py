"""The embedded backend's costs, measured in one run: install, server start, a seed article in a fresh process
(no saved prefix / saved prefix / saved prefix but a changed prompt), a warm in-process article, log-probabilities.

    python bench/backend.py [--repeat N] [--skip-install] [--only NAME ...]

Figures are medians of N runs (default 3), with the ratios of this run. Articles run the one-call ``cited``
pipeline (``PIPELINE``), so the rows measure the backend, not a pipeline's dozens of calls. What each row measures:

- ``install warm|cold``: ``pip install -e '.[local]'`` into a new venv, with pip's cache as it is, and with
  ``--no-cache-dir`` (every wheel downloaded); nothing compiles either way (xllamacpp is a prebuilt wheel).
- ``server start``: spawn → answering ``/v1/models`` (model load included), on a free port.
- ``fresh, no saved prefix``: ``summarize seed-000.txt`` as a new process with an empty prefix folder: the fixed
  prompt prefix is read, then saved. ``fresh, saved prefix``: the same with the prefix saved by an earlier run.
  ``fresh, changed prompt``: the saved prefix of the shipped prompt is there, but the prompt differs by one line
  (new every run): it must fall back to a full read.
- ``warm in-process``: one process, the server already up with the prefix in its slot; before each timed call the
  slot is reset to the prefix alone (a restore, untimed), so the article is read anew as a new article would be.
  This is the floor a fresh process is compared with.
- ``logprobs on|off``: seed-000 as numbered sentences with a question, a JSON-schema grammar, temperature 0,
  ``max_tokens`` 64, with ``logprobs`` and ``top_logprobs=2`` and without; ``cold`` on a new server, ``cached`` the
  same request again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from summarizer import Settings, Summarizer, read_article
from summarizer.articles import parse_article
from summarizer.backends import modelfile
from summarizer.backends.prefix import PrefixCache
from summarizer.backends.server import EmbeddedServer
from summarizer.guard import screen
from summarizer.pipeline import pipeline_prefix
from summarizer.sentences import numbered

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "evals" / "articles" / "seed-000.txt"
PIPELINE = "cited"  # its prompt is the one ``changed_prompts`` changes
PUBLISHED = "2018-09-26"


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    res = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if res.returncode != 0:
        raise SystemExit(f"failed ({res.returncode}): {' '.join(cmd)}\n{res.stderr[-2000:]}")


def install(cold: bool) -> float:
    with tempfile.TemporaryDirectory(prefix="bench-venv-") as tmp:
        run([sys.executable, "-m", "venv", tmp])
        pip = [str(Path(tmp) / "bin" / "pip"), "install", "-q", "-e", f"{ROOT}[local]"]
        return timed(lambda: run([*pip, *(["--no-cache-dir"] if cold else [])]))


def summarize_fresh(cache: Path, model: Path, prompts: Path | None = None) -> float:
    env = {"SUMMARIZER_CACHE_DIR": str(cache), "SUMMARIZER_MODEL_PATH": str(model), "SUMMARIZER_PIPELINE": PIPELINE}
    if prompts is not None:
        env["SUMMARIZER_PROMPTS_DIR"] = str(prompts)
    for k in ("OPENAI_BASE_URL", "SUMMARIZER_BASE_URL"):
        os.environ.pop(k, None)
    summarize = str(Path(sys.executable).with_name("summarize"))
    return timed(lambda: run([summarize, str(SEED), "--published", PUBLISHED, "-f", "json"], env))


def changed_prompts(into: Path, tag: str) -> Path:
    shutil.copytree(ROOT / "prompts", into)
    system = into / "cited.system.j2"
    system.write_text(system.read_text(encoding="utf-8") + f"\n{{# bench {tag} #}}Be precise ({tag}).\n")
    return into


def logprob_request(with_logprobs: bool) -> dict[str, object]:
    from summarizer.backends.grammar import compact_grammar  # loads openai, like every heavy package: where used

    article = parse_article(SEED.read_text(encoding="utf-8"), str(SEED), None)
    listing = numbered(article.text, screen(article.text).visible)
    schema = {"type": "object", "properties": {"trip_sentences": {"type": "array", "items": {"type": "integer"}}},
              "required": ["trip_sentences"]}  # fmt: skip
    body: dict[str, object] = {
        "messages": [{"role": "user", "content": f"{listing}\n\nWhich sentences report an official's trip abroad?"}],
        "temperature": 0,
        "max_tokens": 64,
        "response_format": {"type": "json_schema", "json_schema": {"name": "Answer", "schema": schema}},
    }
    if with_logprobs:
        body.update(logprobs=True, top_logprobs=2)
    fmt = body.pop("response_format")
    body["grammar"] = compact_grammar(fmt["json_schema"]["schema"])  # type: ignore[index]  # as GRAMMAR mode sends it
    return body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-install", action="store_true")
    parser.add_argument("--only", nargs="*", default=None, help="install, start, fresh, warm, logprobs")
    args = parser.parse_args()
    want = set(args.only or ("install", "start", "fresh", "warm", "logprobs"))
    if args.skip_install:
        want.discard("install")

    import httpx

    model = modelfile.resolve(Settings()).path
    n = args.repeat
    rows: dict[str, list[float]] = {}

    def row(name: str, values: list[float]) -> None:
        rows[name] = values
        print(f"{name:<34} median {statistics.median(values):7.2f} s   runs {', '.join(f'{v:.2f}' for v in values)}",
              flush=True)  # fmt: skip

    if "install" in want:
        row("install [local], warm pip cache", [install(cold=False) for _ in range(n)])
        row("install [local], cold pip cache", [install(cold=True) for _ in range(n)])
    if "start" in want:

        def start_stop() -> float:
            server = EmbeddedServer(model, alias="bench")
            t = timed(server.start)
            server.stop()
            return t

        row("server start", [start_stop() for _ in range(n)])
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as tmp:
        base = Path(tmp)
        if "fresh" in want:
            row("fresh process, no saved prefix", [summarize_fresh(base / f"empty{i}", model) for i in range(n)])
            saved = base / "saved"
            summarize_fresh(saved, model)  # saves the shipped prompt's prefix
            row("fresh process, saved prefix", [summarize_fresh(saved, model) for _ in range(n)])
            row(
                "fresh process, changed prompt",
                [
                    summarize_fresh(saved, model, changed_prompts(base / f"prompts{i}", f"{time.time()}"))
                    for i in range(n)
                ],
            )
        if "warm" in want:
            article = read_article(SEED, published=dt.date.fromisoformat(PUBLISHED))
            with Summarizer(Settings(model_path=model, cache_dir=base / "warm", pipeline=PIPELINE)) as s:
                s.warm()
                conn = s._connection()
                assert conn.prefixes is not None
                cache: PrefixCache = conn.prefixes
                name, blank = pipeline_prefix(conn, s.settings)

                def one() -> float:
                    cache.load(blank, name)  # the slot back to the prefix alone: untimed
                    return timed(lambda: s.summarize_article(article))

                row("warm in-process article (floor)", [one() for _ in range(n)])
        if "logprobs" in want:
            for lp in (False, True):
                cold, cached, tokens = [], [], 0
                body = logprob_request(lp)
                for _ in range(n):
                    with EmbeddedServer(model, alias="bench") as server:
                        url = server.base_url + "/chat/completions"
                        t = time.perf_counter()
                        httpx.post(url, json=body, timeout=600).raise_for_status()
                        cold.append(time.perf_counter() - t)
                        t = time.perf_counter()
                        r = httpx.post(url, json=body, timeout=600).raise_for_status()
                        cached.append(time.perf_counter() - t)
                        tokens = r.json()["usage"]["prompt_tokens"]
                        assert not lp or r.json()["choices"][0]["logprobs"]["content"]
                label = "on " if lp else "off"
                row(f"logprobs {label}, cold ({tokens} prompt tokens)", cold)
                row(f"logprobs {label}, cached", cached)

    med = {k: statistics.median(v) for k, v in rows.items()}
    print("\nratios (medians of this run):")
    floor = med.get("warm in-process article (floor)")
    for name in ("fresh process, no saved prefix", "fresh process, saved prefix", "fresh process, changed prompt"):
        if floor and name in med:
            print(f"  {name} / warm in-process: {med[name] / floor:.2f}x")
    keys = [k for k in med if k.startswith("logprobs")]
    if len(keys) == 4:
        print(
            f"  logprobs on / off, cold: {med[keys[2]] / med[keys[0]]:.2f}x; cached: {med[keys[3]] / med[keys[1]]:.2f}x"
        )


if __name__ == "__main__":
    main()
