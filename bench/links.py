"""The linker alone: links computed from the gold records' own fields, against the gold links.

Each gold file's records (ids as labelled) are copied with their link fields cleared, linked by
:func:`summarizer.links.link`, and compared with the labelled links: right (same target), wrong (another target
or a link where the gold has none), missed (a gold link not found). This separates the linking rules from the
extraction, whose links ``summarizer eval`` scores on matched pairs.

Run: ``python bench/links.py [--show]`` (``--show`` lists every disagreement).
"""

from __future__ import annotations

import sys
from pathlib import Path

from summarizer.categories import REGISTRY
from summarizer.eval.gold import load_gold_dir
from summarizer.links import link


def main(show: bool) -> None:
    totals: dict[str, list[int]] = {}
    for case in load_gold_dir(Path("evals/gold"), Path(".")):
        gold = case.gold.records()
        copies = {cat: [r.model_copy() for r in rs] for cat, rs in gold.items()}
        for cat, rs in copies.items():
            for r in rs:
                if REGISTRY[cat].link:
                    setattr(r, REGISTRY[cat].link, None)
        link(copies)
        for cat, rs in copies.items():
            field = REGISTRY[cat].link
            if field is None:
                continue
            t = totals.setdefault(f"{cat}.{field}", [0, 0, 0])
            for g, p in zip(gold[cat], rs, strict=True):
                want, got = getattr(g, field), getattr(p, field)
                if want is None and got is None:
                    continue
                if want == got:
                    t[0] += 1
                    continue
                t[1] += got is not None
                t[2] += want is not None
                if show:
                    print(f"{case.id} {g.id} {field}: gold {want}, linker {got}")
    print("| link | right | wrong | missed | precision | recall |")
    print("|---|---|---|---|---|---|")
    for name, (right, wrong, missed) in totals.items():
        p = right / (right + wrong) if right + wrong else 1.0
        r = right / (right + missed) if right + missed else 1.0
        print(f"| {name} | {right} | {wrong} | {missed} | {p:.2f} | {r:.2f} |")


if __name__ == "__main__":
    main("--show" in sys.argv[1:])
