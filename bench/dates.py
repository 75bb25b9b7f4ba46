"""Date accuracy before and after the program resolves dates, on the eval's recorded runs (no model call).

For each pipeline's cassettes (``cassettes/eval/PIPELINE``), the 33 gold articles are replayed without
normalization, then scored two ways on the matched trips and summits: the model's own ``date`` (before) and
dates resolved by the program from the model's ``when`` (after, the default). Accuracy is over matched pairs
whose gold has a date (the issue's measure) and over all matched pairs (nulls agreeing count). A last line gives
the resolver alone on the gold's own ``when`` strings.

Run: ``python bench/dates.py [PIPELINE ...]`` (default: cited detect).
"""

from __future__ import annotations

import sys
from pathlib import Path

from summarizer.config import Settings
from summarizer.dates import resolve_when, tense_of
from summarizer.eval.gold import GoldCase, load_gold_dir
from summarizer.eval.match import match
from summarizer.eval.runner import replay_settings, run_cases
from summarizer.names import dates_agree
from summarizer.normalize import normalize
from summarizer.schemas import ArticleSummary


def _pairs(case: GoldCase, pred: ArticleSummary) -> list[tuple[str | None, str | None]]:
    out = []
    for cat in ("trips", "summits"):
        preds, golds = list(getattr(pred, cat)), list(getattr(case.gold, cat))
        for p in match(cat, preds, golds, case.article.text):
            out.append((preds[p.pred].date, golds[p.gold].date))
    return out


def _accuracy(pairs: list[tuple[str | None, str | None]]) -> str:
    valued = [(p, g) for p, g in pairs if g]
    right = sum(bool(p) and dates_agree(p or "", g or "") for p, g in valued)
    agree = sum((p is None and g is None) or (bool(p and g) and dates_agree(p or "", g or "")) for p, g in pairs)
    return f"{right / len(valued):.2f} ({right}/{len(valued)}) | {agree / len(pairs):.2f} ({agree}/{len(pairs)})"


def main(pipelines: list[str]) -> None:
    cases = load_gold_dir(Path("evals/gold"), Path("."))
    print("| pipeline | dates | where gold has a date | all matched pairs |")
    print("|---|---|---|---|")
    for name in pipelines:
        settings = replay_settings(Settings(pipeline=name, normalize=False))  # type: ignore[arg-type]
        records = run_cases(cases, settings, live=False, cassette_dir=Path("cassettes/eval") / name)
        variants = {
            "the model's (before)": lambda s, c: s,
            "resolved from the model's `when` (after)": lambda s, c: normalize(s, c.article.text),
        }
        for label, fn in variants.items():
            pairs = [pr for c, r in zip(cases, records, strict=True) if r.prediction
                     for pr in _pairs(c, fn(r.prediction, c))]  # fmt: skip
            print(f"| {name} | {label} | {_accuracy(pairs)} |")
    labelled = [(r, c.gold.published) for c in cases for cat in ("trips", "summits") for r in getattr(c.gold, cat)]
    gold = [(resolve_when(r.when, p, tense=tense_of(r.status)), r.date) for r, p in labelled if r.when or r.date]
    pairs = [(res.value if res else None, d) for res, d in gold]
    print(f"| gold records | resolver on the gold's own `when` | {_accuracy(pairs)} |")


if __name__ == "__main__":
    main(sys.argv[1:] or ["cited", "detect"])
