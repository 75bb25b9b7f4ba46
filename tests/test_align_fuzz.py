"""Fuzzing quote alignment over hostile Unicode: it never raises and every span it reports is a real slice.

Contract: ``Aligner(article, threshold).ground(quotes)`` and ``align_quote(article, quote)`` never raise; a span
with ``method != "none"`` has ``0 <= start < end <= len(article)``; an ``exact`` span is the quote itself; a
``none`` span has no offsets; a record is grounded iff it has a quote and every quote aligned.
(``tests/test_align.py`` covers the three methods on chosen examples and exact substrings of random text.)
"""

from __future__ import annotations

import unicodedata

from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from summarizer.align import Aligner, align_quote, normalize
from summarizer.schemas import Span

FAST = settings(max_examples=200, deadline=None)

# Characters the normalizer rewrites or that change length under NFKC or lower(): ligatures, curly quotes, dashes,
# ellipsis, odd spaces, combining marks, full-width and compatibility forms, characters with multi-char lower case.
TRICKY = (
    "ﬁﬂﬀﬃ“”‘’‚„‟′″«»`'\"‐‑‒–—―−-…. ,;:\u00a0\u2009\u200b\u2028\u3000\t\n\r\x0b\x0c\u0301\u0308\u0327\u20dd"
    "ßẞİıΣσςǅǄĲŉ①㎞ｆｕｌＡ½²ÅÅé\ufeff\u00ad"
)
tricky_char = st.one_of(st.sampled_from(TRICKY), st.characters(min_codepoint=32, max_codepoint=126), st.characters())
tricky_text = st.text(tricky_char, max_size=120)
article_text = st.one_of(tricky_text, st.text(max_size=120), st.just(""))


def _variant(text: str, how: int) -> str:
    """A quote as a model might write it: verbatim, re-normalized, re-cased, straightened, misspelled or padded."""
    if how == 0:
        return text
    if how == 1:
        return unicodedata.normalize("NFKC", text)
    if how == 2:
        return text.upper()
    if how == 3:
        return normalize(text).text
    if how == 4:
        return text.replace("’", "'").replace("“", '"').replace("—", "-").replace("…", "...")
    if how == 5 and len(text) > 4:
        return text[:2] + text[3:]  # one character dropped
    return "  " + text + " \n"


@st.composite
def quotes_for(draw: st.DrawFn, article: str) -> list[str]:
    """Quotes of every kind: slices of the article and their variants, random text, blanks, empty, very long."""

    def from_article() -> str:
        i = draw(st.integers(0, len(article)))
        j = draw(st.integers(i, len(article)))
        return _variant(article[i:j], draw(st.sampled_from([0, 0, 1, 2, 3, 3, 4, 5, 5, 6])))

    kinds = st.sampled_from(["slice", "random", "blank", "empty", "long"])
    out: list[str] = []
    for kind in draw(st.lists(kinds, max_size=4)):
        if kind == "slice":
            out.append(from_article())
        elif kind == "random":
            out.append(draw(tricky_text))
        elif kind == "blank":
            out.append(draw(st.text(st.sampled_from(" \t\n\r\u00a0\u3000\u2028\x0b\x0c"), min_size=1, max_size=8)))
        elif kind == "empty":
            out.append("")
        else:
            out.append(draw(st.text(tricky_char, min_size=1, max_size=20)) * draw(st.integers(20, 120)))
    return out


def check_span(span: Span, article: str, quote: str) -> None:
    event(f"method={span.method}")  # shown by --hypothesis-show-statistics
    assert span.quote == quote
    if span.method == "none":
        assert span.start is None and span.end is None
        return
    assert span.start is not None and span.end is not None
    assert 0 <= span.start < span.end <= len(article)
    if span.method == "exact":
        assert article[span.start : span.end] == quote
    elif span.method == "normalized":  # the matched original text normalizes to something holding the quote
        assert normalize(quote).text.strip(" .,;:") in normalize(article[span.start : span.end]).text
    else:
        assert span.method == "fuzzy"


cases = article_text.flatmap(lambda a: st.tuples(st.just(a), quotes_for(a)))


@FAST
@given(cases, st.floats(0, 100))
@example(("ﬁnal “deal”…", ['final "deal"...', "", " ", "x" * 500]), 90.0)
@example(("", ["a", "abcdefghijklmnop"]), 0.0)
@example(("Kim pledged to dismantle a missile test site.", ["Kim pledged", "to dismantle a missle test"]), 0.0)
def test_ground_never_raises_and_spans_are_slices_of_the_article(case: tuple[str, list[str]], threshold: float) -> None:
    article, quotes = case
    spans, grounded = Aligner(article, threshold).ground(quotes)
    assert len(spans) == len(quotes)
    for span, quote in zip(spans, quotes, strict=True):
        check_span(span, article, quote)
    assert grounded is (bool(quotes) and all(s.method != "none" for s in spans))


@FAST
@given(article_text, st.one_of(tricky_text, st.text(), st.just(""), st.text(" \t\n", max_size=5)))
@example("Kim pledged to dismantle a site.", "kim pledged to dismantle a sit")
@example("a\u0301b", "\u0301")  # a lone combining mark
@example("ǅ", "ǆ")  # a title-case digraph
@example("ﬁ", "i")  # half of a ligature
@example("…", ".")  # part of an ellipsis, which the stripped quote loses
@example("x" * 50, "x" * 5000)  # a quote far longer than the article
def test_align_quote_never_raises_and_agrees_with_the_aligner(article: str, quote: str) -> None:
    span = align_quote(article, quote)
    check_span(span, article, quote)
    assert Aligner(article).ground([quote]) == ([span], span.method != "none")
