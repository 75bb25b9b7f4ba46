"""Where a pipeline's model calls and tokens go, per kind of question, from recorded cassettes (no model call).

    python bench/calls.py cassettes/eval/detect

Every recorded request is classed by the first word of its last message (the question: ``Sentence``,
``Sentences``, ``Records:``, ``Check``, ``Summary``; the ``cited`` pipeline's one question is ``Publication``),
and its response's usage is summed. Prints, per kind, calls per article, completion tokens per article (each one
about 77 ms to generate on this machine) and prompt tokens per call (mostly the cached prefix and article).
It counts every interaction a cassette holds: for a folder recorded in one run (``cassettes/eval/detect``) that is
the run, but a cassette recorded again under changed prompts also keeps the old interactions, which are counted
too (``cassettes/eval/cited`` holds three recordings per article).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import yaml


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a cassette folder, e.g. cassettes/eval/detect")
    args = parser.parse_args()
    files = sorted(args.folder.glob("*.yaml"))
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # calls, prompt tokens, completion tokens
    for path in files:
        for interaction in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
            question = json.loads(interaction["request"]["body"])["messages"][-1]["content"]
            kind = question.split(None, 1)[0] if question.strip() else "(empty)"
            try:
                usage = json.loads(interaction["response"]["body"]["string"])["usage"]
            except (KeyError, TypeError, ValueError):
                continue  # an error response: no usage
            t = totals[kind]
            t[0] += 1
            t[1] += int(usage.get("prompt_tokens") or 0)
            t[2] += int(usage.get("completion_tokens") or 0)
    n = max(1, len(files))
    print(f"{len(files)} articles in {args.folder}")
    print("| question | calls per article | completion tokens per article | prompt tokens per call |")
    print("|---|---|---|---|")
    for kind, (calls, prompt, completion) in sorted(totals.items(), key=lambda kv: -kv[1][2]):
        print(f"| {kind} | {calls / n:.1f} | {completion / n:.1f} | {prompt / max(1, calls):.0f} |")


if __name__ == "__main__":
    main()
