"""Gold files (format ``summarizer-gold/1``): load, validate, and report every problem with file, record, field.

Validation: the JSON parses; required fields, types and the status enum hold (the record classes are the
tool's own schema classes, so gold and output cannot drift apart); dates are ``YYYY``, ``YYYY-MM``,
``YYYY-MM-DD`` or ``START/END``; ids are unique and file-name safe; the article exists; every evidence quote
occurs verbatim in the article body. An invalid gold file is an error (:class:`GoldFormatError`), never skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..articles import Article, read_article
from ..categories import REGISTRY
from ..errors import GoldFormatError, InputError
from ..schemas import (
    CATEGORIES,
    CommitmentFields,
    CommitmentLinks,
    SkepticismFields,
    SkepticismLinks,
    SummitFields,
    SummitLinks,
    TripFields,
    TripLinks,
)

GOLD_FORMAT = "summarizer-gold/1"
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class _Gold(BaseModel):
    model_config = ConfigDict(extra="forbid")
    optional: bool = False


class GoldTrip(TripFields, TripLinks, _Gold):
    pass


class GoldSummit(SummitFields, SummitLinks, _Gold):
    pass


class GoldCommitment(CommitmentFields, CommitmentLinks, _Gold):
    pass


class GoldSkepticism(SkepticismFields, SkepticismLinks, _Gold):
    pass


class GoldFile(BaseModel):
    model_config = ConfigDict(extra="allow")

    format: Literal["summarizer-gold/1"]
    id: str
    article: str
    published: dt.date | None = None
    summary: str | None = None
    trips: list[GoldTrip]
    summits: list[GoldSummit]
    commitments: list[GoldCommitment]
    skepticism: list[GoldSkepticism]
    notes: list[str] = Field(default_factory=list)

    def records(self) -> dict[str, list[Any]]:
        return {c: list(getattr(self, c)) for c in CATEGORIES}

    @property
    def is_negative(self) -> bool:
        """No required record in any category: a negative (or bait) article."""
        return not any(not r.optional for rs in self.records().values() for r in rs)


@dataclass(frozen=True)
class GoldCase:
    gold: GoldFile
    article: Article
    path: Path

    @property
    def id(self) -> str:
        return self.gold.id


def _loc(path: Path, loc: tuple[Any, ...]) -> str:
    parts = [str(path)]
    if len(loc) >= 2 and loc[0] in CATEGORIES and isinstance(loc[1], int):
        parts.append(f"{loc[0]}[{loc[1]}]")
        loc = loc[2:]
    if loc:
        parts.append(".".join(str(p) for p in loc))
    return ": ".join(parts)


def check_gold(path: Path, root: Path) -> tuple[GoldCase | None, list[str]]:
    """Validate one gold file; returns the case (if it loaded) and the list of problems."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:  # ValueError: bad UTF-8, bad JSON, a 5,000-digit int
        return None, [f"{path}: cannot read JSON: {str(exc)[:200] or type(exc).__name__}"]
    try:
        gold = GoldFile.model_validate(raw)
    except ValidationError as exc:
        return None, [f"{_loc(path, tuple(e['loc']))}: {e['msg']}" for e in exc.errors()]
    problems: list[str] = []
    if not _ID.match(gold.id):
        problems.append(f"{path}: id: {gold.id!r} is not file-name safe")
    try:
        article = replace(read_article(root / gold.article, gold.published), source=gold.article)
    except InputError as exc:
        return None, [*problems, f"{path}: article: {gold.article}: {exc.problem}"]
    for cat, records in gold.records().items():
        for i, rec in enumerate(records):
            where = f"{path}: {cat}[{i}]"
            for q in rec.evidence:
                if q not in article.text:
                    problems.append(f"{where}: evidence: quote not found verbatim in {gold.article}: {q[:60]!r}")
            date = getattr(rec, "date", None)
            if date is not None and (date.count("/") > 1 or not all(_DATE.match(d) for d in date.split("/"))):
                problems.append(f"{where}: date: {date!r} is not YYYY, YYYY-MM, YYYY-MM-DD or START/END")
    problems += _link_problems(path, gold)
    return GoldCase(gold, article, path), problems


def _link_problems(path: Path, gold: GoldFile) -> list[str]:
    """Record ids are unique within the file; a link names the id of a record of a category it may point to."""
    problems: list[str] = []
    owner: dict[str, str] = {}
    for cat, records in gold.records().items():
        for i, rec in enumerate(records):
            if rec.id is not None:
                if rec.id in owner:
                    problems.append(f"{path}: {cat}[{i}]: id: {rec.id!r} already used in {owner[rec.id]}")
                owner.setdefault(rec.id, cat)
    for cat, records in gold.records().items():
        link = REGISTRY[cat].link
        for i, rec in enumerate(records):
            target = getattr(rec, link) if link else None
            if target is not None and owner.get(target) not in REGISTRY[cat].link_targets:
                where = owner.get(target)
                problems.append(
                    f"{path}: {cat}[{i}]: {link}: {target!r} is "
                    + (f"a record of {where}" if where else "no record's id")
                    + f"; it must be the id of a record of {' or '.join(REGISTRY[cat].link_targets)}"
                )
    return problems


def load_gold_dir(gold_dir: Path, root: Path) -> list[GoldCase]:
    """Load every ``*.json`` in ``gold_dir``; any problem in any file raises :class:`GoldFormatError`."""
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        raise GoldFormatError([f"{gold_dir}: no gold files (*.json)"])
    cases: list[GoldCase] = []
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for f in files:
        case, probs = check_gold(f, root)
        problems += probs
        if case is not None:
            if case.id in seen:
                problems.append(f"{f}: id: {case.id!r} already used by {seen[case.id]}")
            seen[case.id] = f
            cases.append(case)
    if problems:
        raise GoldFormatError(problems)
    return cases


def batch_record(case: GoldCase) -> str:
    """The case as one line of a batch's JSONL input (``{"id", "text", "published"}``, see
    :mod:`summarizer.inputs`): the article with its gold id and date, so the requests equal the eval's own and its
    recordings answer them (``summarize FILE.jsonl --replay cassettes/eval/PIPELINE``)."""
    published = case.gold.published.isoformat() if case.gold.published else None
    return json.dumps({"id": case.id, "text": case.article.text, "published": published}, ensure_ascii=False) + "\n"
