"""Reading scores: rich tables for people, plain dicts for machines, run comparison and thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.markup import escape
from rich.table import Table

from ..categories import REGISTRY
from ..errors import ConfigError
from ..schemas import CATEGORIES
from .runlog import RunLog
from .score import Scores


def metrics(s: Scores) -> dict[str, float]:
    """Flat metric name → value (higher is better except for LOWER_IS_BETTER)."""
    out: dict[str, float] = {"overall.f1": s.overall.f1, "overall.macro_f1": s.macro_f1}
    for cat, c in s.categories.items():
        out |= {
            f"{cat}.precision": c.micro.precision,
            f"{cat}.recall": c.micro.recall,
            f"{cat}.f1": c.micro.f1,
            f"{cat}.macro_f1": c.macro_f1,
        }
        out |= {f"{cat}.field.{f}": fs.accuracy for f, fs in c.fields.items()}
    out |= {
        "grounding_rate": s.grounding_rate,
        "ungrounded_records": s.ungrounded_records,
        "schema_valid_rate": s.schema_valid_rate,
        "negative_fp_per_article": s.negative_fp_per_article,
        "seconds_median": s.seconds_median or 0.0,
        "tokens_per_article": (s.prompt_tokens + s.completion_tokens) / max(1, s.articles),
    }
    out |= {f"recall.quarter{i + 1}": r for i, r in enumerate(s.recall_by_quarter) if r is not None}
    out |= {f"{cat}.links.f1": prf.f1 for cat, prf in s.links.items() if prf.tp + prf.fp + prf.fn}
    out |= {f"{name}.accuracy": x.accuracy for name, x in (("actors", s.actor_names), ("places", s.place_codes)) if x}
    out |= {f"timeline.{t.timeline}.f1": t.f1 for t in s.timelines if t.correct + t.wrong + t.missed}
    if s.rouge_l is not None:
        out["summary.rouge_l"] = s.rouge_l
    if s.faithfulness is not None:
        out["summary.faithfulness"] = s.faithfulness
    return out


LOWER_IS_BETTER = ("negative_fp_per_article", "seconds_median", "tokens_per_article", "ungrounded_records")


def parse_thresholds(specs: list[str]) -> dict[str, float]:
    """``category=F1`` (or ``overall=F1``) → threshold on that micro F1."""
    out = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        if not sep or name not in (*CATEGORIES, "overall"):
            raise ConfigError(
                f"--fail-under expects CATEGORY=F1 with CATEGORY in {', '.join((*CATEGORIES, 'overall'))}, got {spec!r}"
            )
        try:
            out[name] = float(value)
        except ValueError:
            raise ConfigError(f"--fail-under {spec!r}: {value!r} is not a number") from None
    return out


def _gated_f1(s: Scores) -> dict[str, float]:
    """The micro F1s a gate can name: overall and each category."""
    return {"overall": s.overall.f1} | {c: s.categories[c].micro.f1 for c in CATEGORIES}


def baseline_thresholds(base: Scores, tolerance: float = 0.0) -> dict[str, float]:
    """A gate at a baseline run's micro F1 (overall and per category), ``tolerance`` below it."""
    return {name: round(f1 - tolerance, 4) for name, f1 in _gated_f1(base).items()}


def failures(s: Scores, thresholds: dict[str, float]) -> list[str]:
    got = _gated_f1(s)
    return [f"{name} F1 {got[name]:.3f} < {t:.3f}" for name, t in thresholds.items() if got[name] < t]


@dataclass(frozen=True)
class Delta:
    name: str
    a: float
    b: float

    @property
    def change(self) -> float:
        return self.b - self.a

    @property
    def regression(self) -> float:
        """Positive when B is worse than A."""
        worse = self.a - self.b
        return -worse if self.name.endswith(LOWER_IS_BETTER) else worse


def compare(a: RunLog, b: RunLog) -> tuple[list[Delta], list[Delta]]:
    """Metric deltas and per-article F1 deltas from A to B, regressions first."""
    ma, mb = metrics(a.scores), metrics(b.scores)
    metric_deltas = [Delta(k, ma[k], mb[k]) for k in ma if k in mb]
    fa = {c.id: c.total.f1 for c in a.scores.per_article}
    fb = {c.id: c.total.f1 for c in b.scores.per_article}
    article_deltas = [Delta(k, fa[k], fb[k]) for k in fa if k in fb]
    key = lambda d: (-d.regression, d.name)  # noqa: E731
    return sorted(metric_deltas, key=key), sorted(article_deltas, key=key)


def print_scores(log: RunLog, console: Any) -> None:
    s = log.scores
    t = Table(title=f"Records — {s.articles} articles, {log.mode}, {log.model}, pipeline {log.pipeline}")
    for col in ("category", "P", "R", "F1", "macro F1", "TP", "FP", "FN"):
        t.add_column(col, justify="left" if col == "category" else "right")
    rows = [(cat, c.micro, c.macro_f1) for cat, c in s.categories.items()] + [
        ("overall (micro)", s.overall, s.macro_f1)
    ]
    for name, m, macro in rows:
        t.add_row(
            name,
            f"{m.precision:.3f}",
            f"{m.recall:.3f}",
            f"{m.f1:.3f}",
            f"{macro:.3f}",
            str(m.tp),
            str(m.fp),
            str(m.fn),
        )
    console.print(t)
    f = Table(title="Fields on matched pairs (accuracy, support)")
    f.add_column("category")
    f.add_column("fields")
    for cat, c in s.categories.items():
        f.add_row(cat, "  ".join(f"{n} {fs.accuracy:.2f} ({fs.support})" for n, fs in c.fields.items()))
    console.print(f)
    o = Table(title="Run")
    o.add_column("metric")
    o.add_column("value", justify="right")
    for k, v in (
        ("grounding rate / ungrounded records", f"{s.grounding_rate:.3f} / {s.ungrounded_records}"),
        ("schema-valid rate", f"{s.schema_valid_rate:.3f}"),
        (
            "negative articles / spurious records per negative",
            f"{s.negative_articles} / {s.negative_fp_per_article:.2f}",
        ),
        ("recall by article quarter (1st-4th)", " / ".join(_f(r) for r in s.recall_by_quarter) or "-"),
        (
            "links on matched pairs, P/R (right, wrong, missed)",
            "; ".join(
                f"{cat}.{REGISTRY[cat].link} {prf.precision:.2f}/{prf.recall:.2f} ({prf.tp}, {prf.fp}, {prf.fn})"
                for cat, prf in s.links.items()
            )
            or "-",
        ),
        (
            "actors named as the gold does / places' ISO codes (matched pairs)",
            " / ".join(f"{_f(x.accuracy)} ({x.support})" if x else "-" for x in (s.actor_names, s.place_codes)),
        ),
        *(
            (
                f"timeline {t.timeline}: events (gold) / pairs right, wrong, missed, unreachable / F1",
                f"{t.events} ({t.gold_events}) / {t.correct}, {t.wrong}, {t.missed}, {t.unreachable} / {t.f1:.3f}",
            )
            for t in s.timelines
        ),
        ("summary ROUGE-L / faithfulness", f"{_f(s.rouge_l)} / {_f(s.faithfulness)}"),
        ("retries", str(s.retries)),
        ("tokens in / out", f"{s.prompt_tokens} / {s.completion_tokens}"),
        ("model seconds per article (median) / total", f"{_f(s.seconds_median, 1)} / {s.seconds_total:.1f}"),
        ("wall seconds for the run", f"{log.wall_seconds:.1f}"),
    ):
        o.add_row(k, v)
    console.print(o)
    for case in log.cases:
        if case.error:
            console.print(f"[yellow]{case.id}[/]: {case.error_type}: {escape(case.error)}", highlight=False)


def _f(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def print_compare(a: RunLog, b: RunLog, console: Any, limit: int = 40) -> None:
    metric_deltas, article_deltas = compare(a, b)
    for title, deltas in (("Metrics", metric_deltas), ("Articles (overall F1)", article_deltas)):
        t = Table(title=f"{title}: A → B, regressions first")
        for col in ("name", "A", "B", "Δ"):
            t.add_column(col, justify="left" if col == "name" else "right")
        for d in deltas[:limit]:
            style = "red" if d.regression > 1e-9 else ("green" if d.regression < -1e-9 else "")
            t.add_row(
                d.name, f"{d.a:.3f}", f"{d.b:.3f}", f"[{style}]{d.change:+.3f}[/]" if style else f"{d.change:+.3f}"
            )
        console.print(t)
