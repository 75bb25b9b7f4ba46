from hypothesis import given
from hypothesis import strategies as st

from summarizer.align import Aligner, align_quote, normalize

ARTICLE = "Kim pledged to dismantle a missile test site.\nPompeo said: “We’re not going to buy a pig in a poke.”"


def test_exact_match_gives_offsets_of_the_first_occurrence() -> None:
    span = align_quote(ARTICLE, "dismantle a missile test site")
    assert span.method == "exact"
    assert ARTICLE[span.start : span.end] == "dismantle a missile test site"  # type: ignore[index]


def test_normalized_match_ignores_quote_marks_whitespace_and_case() -> None:
    span = align_quote(ARTICLE, 'pompeo said:   "we\'re not going to buy a pig in a poke."')
    assert span.method == "normalized"
    assert ARTICLE[span.start : span.end] == "Pompeo said: “We’re not going to buy a pig in a poke.”"  # type: ignore[index]


def test_fuzzy_match_accepts_a_small_slip_and_maps_back() -> None:
    span = align_quote(ARTICLE, "Kim pledged to dismantel a missile test site")
    assert span.method == "fuzzy"
    assert span.score >= 90
    assert "dismantle a missile" in ARTICLE[span.start : span.end]  # type: ignore[index]


def test_paraphrase_is_not_grounded() -> None:
    spans, grounded = Aligner(ARTICLE).ground(["North Korea agreed to close its nuclear reactor"])
    assert spans[0].method == "none" and spans[0].start is None
    assert grounded is False


def test_record_grounded_only_when_every_quote_aligns() -> None:
    a = Aligner(ARTICLE)
    assert a.ground(["Kim pledged", "buy a pig in a poke"])[1] is True
    assert a.ground(["Kim pledged", "an invented sentence that is not there"])[1] is False
    assert a.ground([])[1] is False


def test_normalize_keeps_an_index_into_the_original() -> None:
    n = normalize("A  “B”\u2014c")
    assert n.text == 'a "b"-c'
    assert len(n.index) == len(n.text)


@given(st.text(min_size=30, max_size=300), st.data())
def test_any_substring_aligns_exactly_to_itself(text: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(text) - 10))
    j = data.draw(st.integers(i + 5, len(text)))
    quote = text[i:j]
    if not quote.strip():
        return
    span = align_quote(text, quote)
    assert span.method == "exact"
    assert text[span.start : span.end] == quote  # type: ignore[index]
