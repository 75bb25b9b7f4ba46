"""Evidence quote → character span in the article.

Alignment rule, tried in this order, first success wins:

1. **exact** — the quote occurs verbatim; the first occurrence is taken.
2. **normalized** — both texts are normalized (Unicode NFKC, curly quotes → straight, every dash → ``-``,
   ellipsis character → ``...``, runs of whitespace → one space, lower case), the quote is searched in the
   normalized article, and the match is mapped back to original offsets.
3. **fuzzy** — the best partial alignment of the normalized quote inside the normalized article
   (rapidfuzz ``partial_ratio_alignment``); accepted when its score ≥ ``threshold`` (default 90 of 100).

A quote that passes none of them gets ``method="none"`` and no offsets. A record is *grounded* when it has
at least one quote and every quote aligned. Spans always satisfy ``article[start:end]`` being the matched text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from .schemas import Span

_CHAR_MAP = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2026": "...",
}

MIN_FUZZY_CHARS = 12


@dataclass(frozen=True)
class Normalized:
    """A normalized text and, for each of its characters, the index of the original character."""

    text: str
    index: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.index[start], self.index[end - 1] + 1


def normalize(text: str) -> Normalized:
    """Normalize ``text`` for matching while remembering where each character came from."""
    out: list[str] = []
    index: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        for piece in unicodedata.normalize("NFKC", ch):
            for c in _CHAR_MAP.get(piece, piece):
                if c.isspace():
                    if in_space or not out:
                        continue
                    in_space = True
                    c = " "
                else:
                    in_space = False
                for lc in c.lower():
                    out.append(lc)
                    index.append(i)
    while out and out[-1] == " ":
        out.pop()
        index.pop()
    return Normalized("".join(out), tuple(index))


class Aligner:
    """Aligns quotes against one article; the normalized article is computed once."""

    def __init__(self, article: str, threshold: float = 90.0) -> None:
        self.article = article
        self.threshold = threshold
        self._norm = normalize(article)

    def align(self, quote: str) -> Span:
        if not quote.strip():
            return Span(quote=quote)
        start = self.article.find(quote)
        if start >= 0:
            return Span(quote=quote, start=start, end=start + len(quote), method="exact", score=100.0)
        q = normalize(quote).text.strip(" .,;:")
        if not q:
            return Span(quote=quote)
        pos = self._norm.text.find(q)
        if pos >= 0:
            s, e = self._norm.original_span(pos, pos + len(q))
            return Span(quote=quote, start=s, end=e, method="normalized", score=100.0)
        if len(q) < MIN_FUZZY_CHARS:
            return Span(quote=quote)
        res = fuzz.partial_ratio_alignment(q, self._norm.text, score_cutoff=self.threshold)
        if res is None or res.dest_end <= res.dest_start:
            return Span(quote=quote, score=0.0)
        s, e = self._norm.original_span(res.dest_start, res.dest_end)
        return Span(quote=quote, start=s, end=e, method="fuzzy", score=round(res.score, 1))

    def ground(self, quotes: list[str]) -> tuple[list[Span], bool]:
        """Align every quote; the record is grounded when there is one and all aligned."""
        spans = [self.align(q) for q in quotes]
        return spans, bool(spans) and all(s.method != "none" for s in spans)


def align_quote(article: str, quote: str, threshold: float = 90.0) -> Span:
    """Align one quote (see the module docstring for the rule)."""
    return Aligner(article, threshold).align(quote)
