"""Replay a read-every-sentence pipeline's recordings with part of its plan changed, and save the run log.

    python bench/ablate.py --pipeline sift-all --no-topic -o evals/runs/ablations
    python bench/ablate.py --pipeline sift-all --topic 0.5 --verify summits=0.8 -o evals/runs/ablations

What one choice of a :class:`summarizer.plans.Plan` is worth, measured on the same recordings (no model call):
``--no-topic`` drops the topic question (it is then not asked), ``--topic T`` sets its threshold, ``--verify
KIND=P`` a check threshold. Each only removes calls from what the pipeline asks, so a recording made with every
question asked (a topic threshold at or below the new one) answers them all; a change that would ask something new
is a replay miss. The plan is swapped in this process only (as in ``bench/checks.py``); the log keeps the
pipeline's name, says what was changed under ``settings.ablation``, and reads like any run log
(``bench/front.py``).
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from summarizer import Settings, plans
from summarizer.eval import runlog
from summarizer.eval.gold import load_gold_dir
from summarizer.eval.replay import recorded_cases
from summarizer.eval.runner import evaluate
from summarizer.schemas import CATEGORIES

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipeline", required=True, choices=[k for k, p in plans.PLANS.items() if p.window])
    parser.add_argument("--no-topic", action="store_true", help="do not ask the topic question")
    parser.add_argument("--topic", type=float, help="the topic question's threshold")
    parser.add_argument("--verify", action="append", default=[], metavar="KIND=P", help="a check threshold")
    parser.add_argument("-o", "--output", type=Path, required=True, help="folder for the run log")
    args = parser.parse_args()
    plan = plans.PLANS[args.pipeline]
    verify = dict(plan.verify or plans.VERIFY)
    for item in args.verify:
        kind, _, value = item.partition("=")
        if kind not in CATEGORIES or not value:
            parser.error(f"--verify {item}: expected KIND=P with KIND one of {', '.join(CATEGORIES)}")
        verify[kind] = float(value)
    topic = None if args.no_topic else args.topic if args.topic is not None else plan.topic
    changed = replace(plan, verify=verify, topic=topic)
    notes = [f"ablation of {args.pipeline}: {field} {getattr(plan, field)} -> {getattr(changed, field)}"
             for field in ("topic", "verify") if getattr(plan, field) != getattr(changed, field)]  # fmt: skip
    plans.PLANS[args.pipeline] = changed
    folder = ROOT / "cassettes" / "eval" / args.pipeline
    cases = recorded_cases(load_gold_dir(ROOT / "evals" / "gold", ROOT), folder)
    log = evaluate(
        cases, Settings(pipeline=args.pipeline), live=False, cassette_dir=folder, gold_dir=ROOT / "evals" / "gold"
    )
    path = runlog.save(log.model_copy(update={"settings": {**log.settings, "ablation": notes}}), args.output)
    print(f"{path}: {len(cases)} articles; " + ("; ".join(notes) or "no change"))


if __name__ == "__main__":
    main()
