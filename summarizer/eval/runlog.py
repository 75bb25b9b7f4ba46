"""The versioned run log: everything needed to re-score a run without calling a model.

A log holds the run's configuration (settings without the key, prompt hashes, model), each article's
prediction or error, and the scores. ``version`` is checked on load; re-scoring replaces ``scores`` only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from ..errors import RunLogError, first_error
from ..schemas import ArticleSummary, PromptRef
from .score import Scores

LOG_VERSION: Literal[1] = 1


class CaseRecord(BaseModel):
    """One article's outcome: a prediction, or the error that prevented one."""

    id: str
    article: str
    prediction: ArticleSummary | None = None
    error: str | None = None
    error_type: str | None = None


class RunLog(BaseModel):
    version: Literal[1] = LOG_VERSION
    created: dt.datetime
    mode: Literal["replay", "live"]
    model: str
    pipeline: str
    prompts: list[PromptRef]
    settings: dict[str, object]
    gold_dir: str
    cassette_dir: str
    wall_seconds: float
    cases: list[CaseRecord]
    scores: Scores
    rescored: dt.datetime | None = None

    def restricted(self, subset: RunLog | None = None, exclude: Iterable[RunLog] = ()) -> RunLog:
        """This log with only the articles of ``subset`` (when given) and none of ``exclude``'s: a screening run's
        articles, or the held-out rest, so runs over different sets compare on the same articles."""
        keep = {c.id for c in subset.cases} if subset is not None else None
        drop = {c.id for log in exclude for c in log.cases}
        cases = [c for c in self.cases if (keep is None or c.id in keep) and c.id not in drop]
        return self.model_copy(update={"cases": cases})

    def default_name(self) -> str:
        return f"{self.created:%Y%m%d-%H%M%S}-{self.mode}-{self.pipeline}.json"


def save(log: RunLog, path: Path) -> Path:
    """Write ``log`` to ``path`` (a folder gets the default name)."""
    if path.is_dir() or not path.suffix:
        path.mkdir(parents=True, exist_ok=True)
        path = path / log.default_name()
    path.write_text(log.model_dump_json(indent=1) + "\n", encoding="utf-8")
    return path


def load(path: Path) -> RunLog:
    """Read a run log; an unreadable file or a log of another version is a clear error."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunLogError(str(path), "no such run log") from None
    except (OSError, ValueError) as exc:
        raise RunLogError(str(path), f"not a readable run log ({exc})") from None
    if isinstance(raw, dict) and raw.get("version") != LOG_VERSION:
        raise RunLogError(str(path), f"run log version {raw.get('version')!r}, this tool reads {LOG_VERSION}")
    try:
        return RunLog.model_validate(raw)
    except ValidationError as exc:
        raise RunLogError(str(path), f"invalid run log at {first_error(exc)}") from None
