"""Sentence spans of an article, for pipelines that let the model cite sentences by number.

Rule: a sentence ends at a line break, or after ``.``, ``!`` or ``?`` (plus any closing quotes or brackets)
when whitespace and then an upper-case letter, digit or opening quote follow; an abbreviation such as "U.S."
or "Mr." does not end one. Spans exclude surrounding whitespace, so ``text[start:end]`` is the sentence verbatim.
"""

from __future__ import annotations

import re

_ABBREV = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "sen", "rep", "gen", "gov", "lt", "col", "sgt", "jr", "sr", "vs", "no", "jan",
     "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "u.s", "u.n", "u.k", "e.u", "d.c", "inc", "co"}
)  # fmt: skip
_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` in order."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for m in _END.finditer(line.group()):
            cut = line.start() + m.end()
            word = re.search(r"([\w.]+)[.!?][\"'”’)\]]*$", text[start:cut])
            if word and m.group()[0] == "." and (word.group(1).lower() in _ABBREV or len(word.group(1)) == 1):
                continue
            spans.append((start, cut))
            start = cut
        spans.append((start, line.end()))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


# Window rule (the ``detect`` pipeline): WINDOW consecutive sentences per question, consecutive windows sharing
# OVERLAP sentences, the last window ending at the last sentence.
WINDOW = 8
OVERLAP = 2


def windows(count: int, size: int = WINDOW, overlap: int = OVERLAP) -> list[tuple[int, int]]:
    """1-based ``(first, last)`` sentence numbers of each window over ``count`` sentences, by the window rule."""
    out: list[tuple[int, int]] = []
    first = 1
    while first <= count:
        last = min(first + size - 1, count)
        out.append((first, last))
        if last == count:
            break
        first = last - overlap + 1
    return out


def numbered(text: str, spans: list[tuple[int, int]]) -> str:
    """The article as ``[1] first sentence`` lines, for the prompt."""
    return "\n".join(f"[{i}] {text[s:e]}" for i, (s, e) in enumerate(spans, 1))
