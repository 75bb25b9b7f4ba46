"""Pipeline rules that need no model: the context check, error mapping, and cited-sentence conversion."""

from __future__ import annotations

import typing
from typing import Any

import pytest

from summarizer.articles import Article
from summarizer.calls import call_model
from summarizer.config import Settings
from summarizer.errors import ArticleTooLongError, ConfigError, RunawayCompletionError
from summarizer.pipeline import cited_call, plan, run
from summarizer.schemas import CitedExtraction, CitedTrip, Extraction, Usage

from .support.fake_client import FakeCompletions, conn


def test_an_article_needing_more_chunks_than_allowed_is_refused_with_numbers() -> None:
    article = Article("big.txt", "Word after word. " * 6000)
    with pytest.raises(ArticleTooLongError) as info:
        plan(article, 8192, Settings(max_chunks=3))
    assert str(info.value) == (
        "big.txt: article is about 29142 tokens and would take 8 model calls, more than the --max-chunks limit "
        "of 3; raise --max-chunks or split the article"
    )


def test_remote_endpoints_are_not_chunked_unless_asked() -> None:
    article = Article("big.txt", "Word after word. " * 6000)
    assert len(plan(article, None, Settings())) == 1
    assert len(plan(article, None, Settings(chunk_tokens=4000, max_chunks=20))) == 8


def test_a_context_too_small_for_any_article_is_a_settings_error() -> None:
    with pytest.raises(ConfigError, match="the model context leaves 0 tokens for the article"):
        plan(Article("a", "Text."), 4096, Settings(n_ctx=4096, max_tokens=1096))


def test_a_runaway_completion_is_a_clear_error() -> None:
    from instructor.core import IncompleteOutputException

    fake = FakeCompletions(error=IncompleteOutputException(last_completion=None))
    with pytest.raises(RunawayCompletionError, match=r"a.txt: the model's output hit the 1536-token cap"):
        call_model(conn(fake), [], Settings(), "a.txt", Extraction)


def test_unknown_pipeline() -> None:
    with pytest.raises(ConfigError, match="unknown pipeline 'fast'; choose from cited, single, lean"):
        Settings(pipeline="fast")  # type: ignore[arg-type]  # checked once, when the settings are built


def test_cited_numbers_become_verbatim_sentences_and_bad_numbers_are_ungrounded() -> None:
    text = "Pompeo will travel to Pyongyang. Kim pledged to close a site."
    trip = CitedTrip(sentences=[1, 1, 9], traveler="Mike Pompeo", destinations=["Pyongyang"], status="planned")
    seen: list[dict[str, Any]] = []
    fake = FakeCompletions(
        result=CitedExtraction(summary="s", trips=[trip], summits=[], commitments=[], skepticism=[]), seen=seen
    )
    extraction, usage, *_ = cited_call(conn(fake), Article("a", text), Settings(pipeline="cited"))
    assert extraction.trips[0].evidence == ["Pompeo will travel to Pyongyang.", "[sentence 9]"]
    assert usage == Usage(prompt_tokens=7, completion_tokens=3, calls=1)
    assert "[2] Kim pledged to close a site." in seen[0]["messages"][1]["content"]
    result = run(conn(fake), Article("a", text), Settings(pipeline="cited"))
    assert result.trips[0].grounded is False and result.trips[0].spans[0].start == 0


def test_exact_repeats_are_dropped_but_records_with_other_evidence_are_kept() -> None:
    text = "Pompeo will travel to Pyongyang. He will go to Pyongyang on Sunday."
    trip = {"traveler": "Mike Pompeo", "destinations": ["Pyongyang"], "status": "planned"}
    first = {**trip, "evidence": ["Pompeo will travel to Pyongyang."]}
    other = {**trip, "evidence": ["He will go to Pyongyang on Sunday."]}
    extraction = Extraction.model_validate(
        {"summary": "s", "trips": [first, other, first], "summits": [], "commitments": [], "skepticism": []}
    )
    from summarizer.pipeline import ground

    trips = ground(extraction, text, Settings())["trips"]
    assert [t.evidence for t in trips] == [first["evidence"], other["evidence"]]


def test_lean_pipeline_asks_for_fewer_fields_and_outputs_them_as_null() -> None:
    from summarizer.categories import REGISTRY
    from summarizer.pipeline import lean_call, lean_extraction_model

    model = lean_extraction_model()
    schema = model.model_json_schema()["$defs"]
    assert (
        "traveler_role" not in schema["CitedTrip"]["properties"] and "when" not in schema["CitedSummit"]["properties"]
    )
    trip_cls = typing.get_args(model.model_fields["trips"].annotation)[0]
    trip = trip_cls(sentences=[1], traveler="Mike Pompeo", destinations=["Pyongyang"], status="planned")
    fake = FakeCompletions(result=model(summary="s", trips=[trip], summits=[], commitments=[], skepticism=[]))
    extraction, _, refs, *_ = lean_call(conn(fake), Article("a", "Pompeo will travel to Pyongyang."), Settings())
    assert [r.name for r in refs] == ["lean.system.j2", "lean.user.j2"]
    assert all(getattr(extraction.trips[0], f) is None for f in REGISTRY["trips"].lean_drop)


def test_a_cited_sentence_longer_than_the_models_quote_cap_is_kept_verbatim() -> None:
    long_sentence = "Pompeo said " + "that the talks went on, " * 30 + "and he would return to Pyongyang."
    text = f"{long_sentence} Kim agreed."
    trip = CitedTrip(sentences=[1], traveler="Mike Pompeo", destinations=["Pyongyang"], status="planned")
    fake = FakeCompletions(result=CitedExtraction(summary="s", trips=[trip], summits=[], commitments=[], skepticism=[]))
    result = run(conn(fake), Article("a", text), Settings(pipeline="cited"))
    assert len(long_sentence) > 400
    assert result.trips[0].evidence == [long_sentence] and result.trips[0].grounded


def test_a_1mb_article_is_refused_before_any_model_call() -> None:
    seen: list[dict[str, Any]] = []
    article = Article("big.txt", ("Pompeo will travel to Pyongyang next month, officials said. " * 17000)[:1_000_000])
    with pytest.raises(ArticleTooLongError, match=r"big.txt: article is about 285714 tokens and would take 79 model"):
        run(conn(FakeCompletions(seen=seen)), article, Settings())
    assert seen == []
