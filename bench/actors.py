"""How long the program takes to build an article's actor table (:func:`summarizer.actors.actor_table`: canonical
names, roles, countries), by article length and number of people; no model call.

    python bench/actors.py [--repeat N]

Each article is invented: N people (distinct surnames), each sentence naming two of them in
full and then by surname, with a title and a country, repeated to the length. The first call, which loads the
country tables, is timed apart; the rest are medians of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import statistics
import time

from summarizer.actors import actor_table

FIRST = ["Anna", "Lars", "Maria", "Peter", "Jonas", "Eva", "Karl", "Ingrid", "Tomas", "Sofia"]
LAST = ["Berg", "Holm", "Lind", "Dahl", "Strand", "Nyberg", "Sund", "Ek", "Falk", "Hagen", "Moe", "Vik"]
SIZES = [(10, 10_000), (20, 10_000), (40, 10_000), (20, 50_000)]  # (people, characters)


def article(people: int, chars: int) -> tuple[str, list[str]]:
    # every surname distinct (Berg, Bergson, ...): a surname shared by two people is, rightly, no one's
    full = [f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}{'son' * (i // len(LAST))}" for i in range(people)]
    pairs = zip(full, full[1:] + full[:1], strict=True)
    sentences = [
        f"Swedish Trade Minister {p} met {q} in Stockholm on Tuesday. {p.split()[1]}'s aides said {q.split()[1]} "
        f"agreed, though critics in Oslo doubted it."
        for p, q in pairs
    ]
    text = " ".join(sentences)
    text = (" ".join([text] * (chars // len(text) + 1)))[:chars]
    return text, full + [n.split()[1] for n in full]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    text, names = article(*SIZES[0])
    start = time.perf_counter()
    actor_table(text, names)
    print(f"first call (loads the country tables): {1000 * (time.perf_counter() - start):.1f} ms")
    print("| people | characters | actors found | median ms |")
    print("|---|---|---|---|")
    for people, chars in SIZES:
        text, names = article(people, chars)
        runs, found = [], 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            found = len(actor_table(text, names).actors)
            runs.append(time.perf_counter() - start)
        print(f"| {people} | {chars:,} | {found} | {1000 * statistics.median(runs):.1f} |")


if __name__ == "__main__":
    main()
