from hypothesis import given
from hypothesis import strategies as st

from summarizer.sentences import numbered, split_sentences

TEXT = (
    "Secretary of State Mike Pompeo will travel to North Korea. The U.S. official met Mr. Kim on Sunday.\n"
    "“We’re not going to buy a pig in a poke.” Critics disagree!  2018 was busy."
)


def test_splits_on_sentence_ends_and_lines_but_not_abbreviations() -> None:
    got = [TEXT[s:e] for s, e in split_sentences(TEXT)]
    assert got == [
        "Secretary of State Mike Pompeo will travel to North Korea.",
        "The U.S. official met Mr. Kim on Sunday.",
        "“We’re not going to buy a pig in a poke.”",
        "Critics disagree!",
        "2018 was busy.",
    ]


def test_numbered_lines() -> None:
    assert numbered("One. Two.", split_sentences("One. Two.")) == "[1] One.\n[2] Two."


@given(st.text(alphabet=st.sampled_from(list("ab .!?\n“”U")), max_size=200))
def test_spans_are_ordered_disjoint_trimmed_and_cover_every_word(text: str) -> None:
    spans = split_sentences(text)
    last = 0
    for s, e in spans:
        assert last <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        last = e
    covered = "".join(text[s:e] for s, e in spans)
    assert sorted(covered.replace(" ", "").replace("\n", "")) == sorted(text.replace(" ", "").replace("\n", ""))


def test_windows_overlap_and_end_at_the_last_sentence() -> None:
    from summarizer.sentences import windows

    assert windows(0) == [] and windows(5) == [(1, 5)] and windows(8) == [(1, 8)]
    assert windows(18) == [(1, 8), (7, 14), (13, 18)]
    for count in range(1, 70):
        ws = windows(count)
        covered = {n for a, b in ws for n in range(a, b + 1)}
        assert covered == set(range(1, count + 1)) and ws[-1][1] == count
        assert all(b - a + 1 <= 8 for a, b in ws) and all(ws[i + 1][0] == ws[i][1] - 1 for i in range(len(ws) - 1))
