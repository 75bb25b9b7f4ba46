"""The summaries a timeline is built from: summary files, articles summarized now, or the eval's recordings.

Inputs (:func:`collect_summaries`), each with an article id:

- a ``.json`` / ``.jsonl`` file of summaries (``summarize -f json`` output, an object or, for several articles,
  an array, or ``-f jsonl`` output, one object per line): each object's
  ``source`` names the article (its file stem is the id; else the summary file's stem, numbered if several);
- an article file (text or HTML): summarized with the configured model (id: the file stem); with ``replay``, it
  must be an article of the gold set, whose gold file gives its id and publication date, and its model responses
  come from that id's cassette (``cassettes/eval/PIPELINE/ID.yaml``), exactly as ``summarizer eval`` replays it.

A file that is neither is an :class:`~summarizer.errors.InputError`; a replayed article with no gold file or no
cassette says so.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from ..api import Summarizer
from ..articles import read_article
from ..config import Settings
from ..errors import ConfigError, InputError, first_error
from ..schemas import ArticleSummary
from .gold import GoldCase
from .runner import run_cases

SUMMARY_SUFFIXES = (".json", ".jsonl")


def read_summary_file(path: Path) -> list[tuple[str, ArticleSummary]]:
    """The summaries in a ``summarize -f json`` or ``-f jsonl`` output file, with their article ids."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read: {exc}") from None
    try:
        if path.suffix.lower() == ".json":
            whole = json.loads(text)
            objects = whole if isinstance(whole, list) else [whole]  # several articles: a JSON array
        else:
            objects = [json.loads(x) for x in text.splitlines() if x.strip()]
    except ValueError as exc:
        raise InputError(str(path), f"not JSON: {str(exc)[:200]}") from None
    out: list[tuple[str, ArticleSummary]] = []
    for k, obj in enumerate(objects, 1):
        if not isinstance(obj, dict):
            raise InputError(str(path), f"summary {k} is not a JSON object")
        source = obj.pop("source", None)
        try:
            summary = ArticleSummary.model_validate(obj)
        except ValidationError as exc:
            raise InputError(str(path), f"summary {k} is not a summarizer output: {first_error(exc)}") from None
        name = Path(source).stem if source else (path.stem if len(objects) == 1 else f"{path.stem}-{k}")
        out.append((name, summary))
    return out


def _by_article(cases: list[GoldCase], root: Path) -> dict[Path, GoldCase]:
    return {(root / c.gold.article).resolve(): c for c in cases}


def collect_summaries(
    files: list[Path],
    settings: Settings,
    *,
    replay: bool = False,
    cases: list[GoldCase] | None = None,
    root: Path = Path("."),
    cassette_dir: Path | None = None,
) -> list[tuple[str, ArticleSummary]]:
    """``(article id, summary)`` for every input file, in order (rules: the module docstring)."""
    articles = [f for f in files if f.suffix.lower() not in SUMMARY_SUFFIXES]
    replayed: dict[Path, ArticleSummary] = {}
    ids = {f: f.stem for f in articles}
    if replay and articles:
        known = _by_article(cases or [], root)
        chosen = []
        for f in articles:
            case = known.get(f.resolve())
            if case is None:
                raise ConfigError(f"--replay: {f} is not an article of the gold set (no gold file names it)")
            chosen.append(case)
        folder = cassette_dir or Path("cassettes/eval") / settings.pipeline
        records = run_cases(chosen, settings, live=False, cassette_dir=folder)
        for f, case, rec in zip(articles, chosen, records, strict=True):
            if rec.prediction is None:
                raise InputError(str(f), f"the recorded run of {case.id} failed: {rec.error}")
            replayed[f], ids[f] = rec.prediction, case.id
    out: list[tuple[str, ArticleSummary]] = []
    live = [f for f in articles if f not in replayed]
    summarizer = Summarizer(settings) if live else None
    try:
        for f in files:
            if f.suffix.lower() in SUMMARY_SUFFIXES:
                out.extend(read_summary_file(f))
            elif f in replayed:
                out.append((ids[f], replayed[f]))
            else:
                assert summarizer is not None
                out.append((ids[f], summarizer.summarize_article(read_article(f))))
    finally:
        if summarizer is not None:
            summarizer.close()
    return out
