"""How long the command line takes to start: ``summarize --help`` against a bare ``python -c pass``.

    python bench/startup.py [--runs N] [--target SECONDS]

Runs each command N times (default 15) in a fresh process, alternating them so a busy machine slows both alike,
and prints the median wall seconds of each, their ratio, and whether ``summarize --help`` is under the target
(default 0.25 s). ``summarizer eval --help`` and ``summarizer model --help`` are shown too. Timings on a loaded
machine are noisy: compare ratios, or run it when nothing else runs. Where the time goes:
``python -X importtime -c "import summarizer.cli"``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent  # the environment's console scripts sit beside its python
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "summarize --help": [str(BIN / "summarize"), "--help"],
    "summarizer eval --help": [str(BIN / "summarizer"), "eval", "--help"],
    "summarizer model --help": [str(BIN / "summarizer"), "model", "--help"],
}


def wall_seconds(command: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--target", type=float, default=0.25, help="seconds summarize --help should stay under")
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for command in COMMANDS.values():  # one untimed run each: the first also writes the bytecode caches
        wall_seconds(command)
    for _ in range(args.runs):
        for name, command in COMMANDS.items():
            times[name].append(wall_seconds(command))
    medians = {name: statistics.median(ts) for name, ts in times.items()}
    base = medians["python -c pass"]
    print(f"median of {args.runs} runs each")
    for name, median in medians.items():
        print(f"{name:>26}: {median:.3f} s  ({median / base:.1f}× python -c pass)")
    help_s = medians["summarize --help"]
    verdict = "under" if help_s < args.target else "OVER"
    print(f"summarize --help: {help_s:.3f} s, {verdict} the {args.target:.2f} s target")


if __name__ == "__main__":
    main()
