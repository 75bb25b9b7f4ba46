"""Where a pipeline's model calls and tokens go, per kind of question, from recorded cassettes (no model call).

    python bench/calls.py cassettes/eval/detect

Every recorded request is classed by the first word of its last message (the question: ``Sentence``,
``Sentences``, ``Records:``, ``Check``, ``Summary``; the ``cited`` pipeline's one question is ``Publication``),
and its response's usage is summed. Prints, per kind, calls per article, completion tokens per article (each one
about 77 ms to generate on this machine), prompt tokens per call (mostly the cached prefix and article) and the
server's own seconds per article reading prompts and generating (llama.cpp's ``timings``); then the median over
articles of the server's seconds for the whole article, the article read once
(:func:`summarizer.eval.replay.article_seconds`).
It counts every interaction a cassette holds: for a folder recorded in one run (``cassettes/eval/detect``) that is
the run, but ``cassettes/eval/cited`` was recorded three times, before a live run rewrote its cassettes, and holds
three recordings per article, which are counted too.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import defaultdict
from pathlib import Path

from summarizer.eval.replay import article_seconds, load_interactions

HEADER = (
    "| question | calls per article | completion tokens per article | prompt tokens per call "
    "| server s per article, prompt / generation |"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a cassette folder, e.g. cassettes/eval/detect")
    args = parser.parse_args()
    files = sorted(args.folder.glob("*.yaml"))
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0.0, 0.0])  # calls, tokens in, out, seconds
    per_article: list[float] = []
    for path in files:
        interactions = load_interactions(path)
        per_article.append(article_seconds(interactions))
        for interaction in interactions:
            question = json.loads(interaction["request"]["body"])["messages"][-1]["content"]
            kind = question.split(None, 1)[0] if question.strip() else "(empty)"
            try:
                answer = json.loads(interaction["response"]["body"]["string"])
                usage = answer["usage"]
            except (KeyError, TypeError, ValueError):
                continue  # an error response: no usage
            timings = answer.get("timings") or {}
            t = totals[kind]
            t[0] += 1
            t[1] += int(usage.get("prompt_tokens") or 0)
            t[2] += int(usage.get("completion_tokens") or 0)
            t[3] += float(timings.get("prompt_ms") or 0) / 1000
            t[4] += float(timings.get("predicted_ms") or 0) / 1000
    n = max(1, len(files))
    print(f"{len(files)} articles in {args.folder}")
    print(HEADER)
    print("|---|---|---|---|---|")
    for kind, (calls, prompt, completion, read, wrote) in sorted(totals.items(), key=lambda kv: -kv[1][2]):
        cells = [f"{calls / n:.1f}", f"{completion / n:.1f}", f"{prompt / max(1, calls):.0f}"]
        print(f"| {kind} | {' | '.join(cells)} | {read / n:.1f} / {wrote / n:.1f} |")
    if per_article:
        median = statistics.median(per_article)
        print(f"median server seconds per article, the article read once: {median:.1f}")


if __name__ == "__main__":
    main()
