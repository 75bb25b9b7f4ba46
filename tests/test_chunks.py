"""Chunking and merging rules, with a stand-in client (the real-model run is in tests/test_chunks_recorded.py)."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.articles import Article
from summarizer.chunks import merge_records, plan_chunks, same_record
from summarizer.config import Settings
from summarizer.pipeline import run
from summarizer.schemas import CitedExtraction, CitedSummit, CitedTrip, Span, Summit, Trip

from .support.fake_client import FakeCompletions, conn

SENTENCE = st.from_regex(r"[A-Z][a-z]{1,12}( [a-z]{1,12}){0,30}[.!?]", fullmatch=True)


@settings(max_examples=150, deadline=None)
@given(st.lists(SENTENCE, min_size=1, max_size=60), st.integers(40, 600), st.integers(0, 3))
def test_chunks_fit_cover_the_text_and_keep_their_offsets(sentences: list[str], max_chars: int, overlap: int) -> None:
    text = " ".join(sentences)
    chunks = plan_chunks(text, max_chars, overlap)
    assert chunks[0].offset == 0 and chunks[-1].offset + len(chunks[-1].text) == len(text)
    for a, b in pairwise(chunks):
        assert b.offset > a.offset and b.offset <= a.offset + len(a.text) + 1  # no gap: overlap or adjacent
    for c in chunks:
        assert len(c.text) <= max_chars and text[c.offset : c.offset + len(c.text)] == c.text


def test_neighbouring_chunks_share_the_overlap_sentences() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(1, 21))
    chunks = plan_chunks(text, 120, overlap=1)
    assert len(chunks) > 2
    for a, b in pairwise(chunks):
        last = a.text.rsplit("Sentence", 1)[1]
        assert b.text.startswith("Sentence" + last)


def test_a_sentence_longer_than_a_chunk_is_cut_at_whitespace() -> None:
    text = "word " * 100
    chunks = plan_chunks(text.strip(), 64, overlap=0)
    assert all(len(c.text) <= 64 and not c.text.startswith(" ") for c in chunks)
    assert "".join(c.text + " " for c in chunks).split() == text.split()


def trip(traveler: str, dest: list[str], span: tuple[int, int], **kw: Any) -> Trip:
    return Trip(traveler=traveler, destinations=dest, status="planned", evidence=["q"],
                spans=[Span(quote="q", start=span[0], end=span[1], method="exact")], grounded=True, **kw)  # fmt: skip


def test_records_match_by_overlapping_evidence_or_by_key_fields() -> None:
    a = trip("Mike Pompeo", ["Pyongyang"], (0, 10))
    assert same_record("trips", a, trip("Someone Else", ["Paris"], (5, 20)))  # evidence overlaps
    assert same_record("trips", a, trip("Pompeo", ["Pyongyang", "Seoul"], (100, 120)))  # same traveler and place
    assert not same_record("trips", a, trip("Pompeo", ["Beijing"], (100, 120)))  # another trip of his
    third, fourth = (trip("Pompeo", ["Pyongyang"], (n, n + 9), ordinal=n) for n in (3, 40))
    assert not same_record("trips", third, fourth)  # and another
    assert not same_record("trips", trip("Pompeo", ["Pyongyang"], (0, 9), date="2018-07"),
                           trip("Pompeo", ["Pyongyang"], (100, 120), date="2018-10-07"))  # fmt: skip


def test_summits_at_different_places_are_different_summits() -> None:
    def summit(loc: str, span: tuple[int, int]) -> Summit:
        return Summit(participants=["Donald Trump", "Kim Jong Un"], location=loc, status="completed",
                      evidence=["q"], spans=[Span(quote="q", start=span[0], end=span[1], method="exact")])  # fmt: skip

    assert not same_record("summits", summit("Singapore", (0, 9)), summit("Hanoi", (50, 60)))
    assert same_record("summits", summit("Singapore", (0, 9)), summit("singapore", (50, 60)))


def test_merging_fills_empty_fields_unions_lists_and_keeps_every_span() -> None:
    first = trip("Mike Pompeo", ["Pyongyang"], (0, 10))
    later = trip("Pompeo", ["Pyongyang", "Tokyo"], (50, 60), purpose="talks", traveler_role="Secretary of State")
    same_span = trip("Pompeo", ["Pyongyang"], (0, 10))
    (merged,) = merge_records("trips", [[first], [later, same_span]])
    assert isinstance(merged, Trip)
    assert merged.traveler == "Mike Pompeo" and merged.destinations == ["Pyongyang", "Tokyo"]
    assert (merged.purpose, merged.traveler_role) == ("talks", "Secretary of State")
    assert [(s.start, s.end) for s in merged.spans] == [(0, 10), (50, 60)]


def test_records_of_one_chunk_are_never_merged_with_each_other() -> None:
    a, b = trip("Mike Pompeo", ["Pyongyang"], (0, 10)), trip("Mike Pompeo", ["Pyongyang"], (20, 30))
    assert len(merge_records("trips", [[a, b]])) == 2


class Scripted(FakeCompletions):
    """Answers each call with the next scripted extraction, recording the prompts."""

    def __init__(self, answers: list[CitedExtraction]) -> None:
        super().__init__(seen=[])
        self.answers = answers

    def create_with_completion(self, **kwargs: Any) -> Any:
        self.result = self.answers[len(self.seen or [])]
        return super().create_with_completion(**kwargs)


def test_a_long_article_runs_per_chunk_with_whole_article_offsets_and_summed_usage() -> None:
    filler = " ".join(f"Filler sentence {i} says nothing." for i in range(80))
    text = f"Pompeo will travel to Pyongyang. {filler} Trump and Kim will meet in Hanoi. Pompeo goes to Pyongyang."
    trip1 = CitedTrip(sentences=[1], traveler="Mike Pompeo", destinations=["Pyongyang"], status="planned")
    summit = CitedSummit(sentences=[2], participants=["Donald Trump", "Kim Jong Un"], status="planned")
    answers = [CitedExtraction(summary="Pompeo travels.", trips=[trip1], summits=[], commitments=[], skepticism=[])]
    answers += [CitedExtraction(summary="", trips=[], summits=[], commitments=[], skepticism=[]) for _ in range(10)]
    fake = Scripted(answers)
    s = Settings(chunk_tokens=400, max_chunks=10)
    n = len(plan_chunks(text, int(400 * 3.5), s.chunk_overlap))
    tail = CitedTrip(sentences=[3], traveler="Pompeo", destinations=["Pyongyang"], status="planned", when="soon")
    answers[n - 1] = CitedExtraction(
        summary="They meet.", trips=[tail], summits=[summit], commitments=[], skepticism=[]
    )
    result = run(conn(fake, n_ctx=None), Article("long.txt", text), s)
    assert result.meta is not None and result.meta.chunks == n > 2
    assert result.meta.usage.calls == n and result.meta.usage.prompt_tokens == 7 * n
    assert result.summary == "Pompeo travels. They meet."
    (t,) = result.trips  # the tail's trip is the first one, merged
    assert t.when == "soon" and [text[s.start : s.end] for s in t.spans if s.start is not None] == [
        "Pompeo will travel to Pyongyang.",
        "Pompeo goes to Pyongyang.",
    ]
    (sm,) = result.summits
    assert text[sm.spans[0].start : sm.spans[0].end] == "Trump and Kim will meet in Hanoi."  # type: ignore[index]
    assert all("(chunk" not in m["messages"][1]["content"] for m in fake.seen or [])


def test_merge_events_merges_one_event_told_twice_but_not_two_events_in_one_sentence() -> None:
    from summarizer.chunks import merge_events
    from summarizer.schemas import TripFields

    sentence = "Pompeo flew to Pyongyang on Monday, and Moon went to Beijing."
    a = TripFields(evidence=[sentence], traveler="Mike Pompeo", destinations=["Pyongyang"], status="completed")
    b = TripFields(evidence=[sentence], traveler="Moon Jae-in", destinations=["Beijing"], status="completed")
    again = a.model_copy(update={"evidence": ["Pompeo's visit ended on Tuesday."], "when": "on Monday"})
    merged = [t for t in merge_events("trips", [a, b, again]) if isinstance(t, TripFields)]
    assert [t.traveler for t in merged] == ["Mike Pompeo", "Moon Jae-in"]  # the shared sentence merges nothing
    assert merged[0].evidence == [sentence, "Pompeo's visit ended on Tuesday."] and merged[0].when == "on Monday"
