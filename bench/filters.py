"""Program-side filters on a run log's records, scored on the screening articles and the held-out ones (no model call).

    python bench/filters.py evals/runs/RUN.json --subset evals/runs/SCREEN.json

Two rules a pipeline could apply after the check, each tried on the records the run log holds:

- ``place``: a trip is kept only if one of its destinations is a country or a place in one
  (:func:`summarizer.places.place_code`): the guide's trip goes abroad, and false trips name "every country he
  visits", "the NATO alliance" or a base at home.
- ``floor F``: a record is kept only if one of the sentences it cites scored at least F for its kind in detection
  (against N, :func:`summarizer.plans.flag_score`, from ``meta.sentence_scores``): a confident sentence, as
  ``detect``'s anchor asks.

It prints micro P/R/F1 overall and F1 per kind, with no filter and with each, on the ``--subset`` articles (where a
rule would be chosen) and on the others. Names and links were resolved with every record present, as in
``bench/checks.py``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from summarizer.eval import runlog
from summarizer.eval.gold import load_gold_dir
from summarizer.eval.score import score
from summarizer.examples import LETTERS
from summarizer.guard import screen
from summarizer.places import place_code
from summarizer.plans import flag_score
from summarizer.schemas import CATEGORIES, ArticleSummary

ROOT = Path(__file__).resolve().parent.parent
FLOORS = (0.5, 0.6, 0.7, 0.8, 0.9)
Keep = Callable[[str, Any, ArticleSummary, str], bool]  # kind, record, prediction, article text


def abroad(kind: str, record: Any, prediction: ArticleSummary, text: str) -> bool:
    return kind != "trips" or any(place_code(d) for d in record.destinations)


def floor(least: float) -> Keep:
    def keep(kind: str, record: Any, prediction: ArticleSummary, text: str) -> bool:
        meta = prediction.meta
        if meta is None or not meta.sentence_scores or meta.chunks != 1:
            return True
        scores = meta.sentence_scores
        number = {text[slice(*sp)]: n for n, sp in enumerate(screen(text).visible)}
        cited = [number[q] for q in record.evidence if q in number]
        return any(flag_score(scores[n], LETTERS[kind], versus_none=True) >= least for n in cited)

    return keep


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path)
    parser.add_argument("--subset", type=Path, required=True, help="the screening articles' run log")
    args = parser.parse_args()
    log = runlog.load(args.log)
    screening = {c.id for c in runlog.load(args.subset).cases}
    cases = {c.id: c for c in load_gold_dir(ROOT / "evals" / "gold", ROOT)}
    rules: dict[str, Keep | None] = {"none": None, "place": abroad, **{f"floor {f}": floor(f) for f in FLOORS}}
    for name, keep in rules.items():
        cells = []
        for part, inside in (("subset", True), ("held out", False)):
            golds, predictions = [], []
            for rec in (r for r in log.cases if (r.id in screening) == inside):
                case, pred = cases[rec.id], rec.prediction
                if pred is not None and keep is not None:
                    text = case.article.text
                    pred = pred.model_copy(
                        update={k: [r for r in getattr(pred, k) if keep(k, r, pred, text)] for k in CATEGORIES}
                    )
                golds.append(case)
                predictions.append(pred)
            s = score(golds, predictions)
            kinds = " ".join(f"{k} {s.categories[k].micro.f1:.3f}" for k in CATEGORIES)
            o = s.overall
            cells.append(f"{part}: P {o.precision:.3f} R {o.recall:.3f} F1 {o.f1:.3f} ({kinds})")
        print(f"{name:<10} " + "\n           ".join(cells))


if __name__ == "__main__":
    main()
