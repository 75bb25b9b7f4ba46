"""Model and endpoint faults (summarizer/calls.py), produced by a scripted local endpoint (tests/fake_openai.py).

Each fault: bounded retries, the cause in the message, the article named, the usage of every attempt counted.
"""

from __future__ import annotations

import time

import pytest

from summarizer import Settings, Summarizer
from summarizer.articles import Article
from summarizer.errors import BackendError, ExtractionError, RunawayCompletionError

from .fake_openai import USAGE, VALID, FakeEndpoint, completion, delay, error, hang_up, reply

ARTICLE = Article("a.txt", "Pompeo will travel to Pyongyang next month. Kim pledged to close a site.")
MALFORMED = '{"summary": "Pompeo will", "trips": [{"sentences": [1], "traveler": '
BAD_STATUS = {**VALID, "trips": [{**VALID["trips"][0], "status": "maybe"}]}  # type: ignore[dict-item]


def summarize(fake: FakeEndpoint, **overrides: object) -> object:
    settings = Settings(**{"base_url": fake.url, "api_key": "sk-test", "request_timeout": 2.0, **overrides})  # type: ignore[arg-type]
    with Summarizer(settings) as s:
        return s.summarize_article(ARTICLE)


def test_malformed_json_is_retried_once_then_a_clear_error_with_all_usage() -> None:
    with FakeEndpoint([reply(completion(MALFORMED))] * 2) as fake, pytest.raises(ExtractionError) as info:
        summarize(fake)
    e = info.value
    assert str(e).startswith("a.txt: the model gave no valid records after 2 attempt(s): ")
    assert (e.attempts, len(fake.requests), e.last_output) == (2, 2, MALFORMED)
    assert e.usage is not None
    assert (e.usage.prompt_tokens, e.usage.completion_tokens, e.usage.calls) == (2 * USAGE[0], 2 * USAGE[1], 2)


def test_a_schema_violation_is_re_asked_with_the_error_and_the_retry_counts_in_usage() -> None:
    with FakeEndpoint([reply(completion(BAD_STATUS)), reply()]) as fake:
        result = summarize(fake)
    assert result.trips[0].status == "planned"  # type: ignore[attr-defined]
    usage = result.meta.usage  # type: ignore[attr-defined]
    assert (usage.calls, usage.retries, usage.prompt_tokens) == (2, 1, 2 * USAGE[0])
    reask = fake.requests[1]["body"]["messages"]
    assert any("status" in str(m.get("content")) for m in reask[2:])  # the validation error went back to the model


def test_a_schema_violation_every_time_names_the_field() -> None:
    with FakeEndpoint([reply(completion(BAD_STATUS))] * 2) as fake, pytest.raises(ExtractionError) as info:
        summarize(fake)
    assert "after 2 attempt(s)" in str(info.value) and "status" in str(info.value)
    assert info.value.usage is not None and info.value.usage.prompt_tokens == 2 * USAGE[0]


@pytest.mark.parametrize(
    "output",
    [MALFORMED, '{"summary": "' + "the talks, " * 400],  # cut off mid-record; endless repetition
    ids=["cut-off", "repetition"],
)
def test_a_completion_cut_off_at_max_tokens_is_a_runaway_error(output: str) -> None:
    with (
        FakeEndpoint(default=reply(completion(output, finish="length"))) as fake,
        pytest.raises(RunawayCompletionError) as info,
    ):
        summarize(fake)
    e = info.value
    assert str(e).startswith("a.txt: the model's output hit the 1536-token cap without finishing")
    assert e.attempts == len(fake.requests) <= 2 and e.usage is not None
    assert e.usage.prompt_tokens == e.attempts * USAGE[0]
    assert e.last_output == output


def test_a_cut_off_reported_as_a_finished_tool_call_is_not_re_asked() -> None:
    """llama.cpp's server says finish_reason "tool_calls" for a tool call cut off at max_tokens."""
    cut = reply(completion(MALFORMED, usage=(USAGE[0], 64)))
    with FakeEndpoint(default=cut) as fake, pytest.raises(RunawayCompletionError) as info:
        summarize(fake, max_tokens=64)
    assert str(info.value).startswith("a.txt: the model's output hit the 64-token cap without finishing (1 attempt")
    assert len(fake.requests) == 1 and info.value.usage is not None
    assert (info.value.usage.prompt_tokens, info.value.usage.completion_tokens) == (USAGE[0], 64)


def test_an_empty_completion_is_an_extraction_error() -> None:
    with FakeEndpoint(default=reply(completion(content=""))) as fake, pytest.raises(ExtractionError) as info:
        summarize(fake)
    assert str(info.value).startswith("a.txt: the model gave no valid records after 2 attempt(s)")
    assert len(fake.requests) == 2 and info.value.usage is not None
    assert info.value.usage.prompt_tokens == 2 * USAGE[0]


def test_a_timeout_is_retried_then_reported() -> None:
    with FakeEndpoint(default=delay(5)) as fake, pytest.raises(BackendError) as info:
        summarize(fake, request_timeout=0.3)
    assert str(info.value) == f"a.txt: the model endpoint at {fake.url} timed out (3 attempt(s))"
    assert len(fake.requests) == 3 and info.value.attempts == 3


def test_http_429_is_retried_after_retry_after() -> None:
    with FakeEndpoint([error(429, {"Retry-After": "1"}), reply()]) as fake:
        result = summarize(fake)
    assert result.trips  # type: ignore[attr-defined]
    first, second = fake.requests
    assert second["at"] - first["at"] >= 0.9


@pytest.mark.parametrize("status", [429, 500, 503])
def test_http_errors_that_persist_are_reported_after_bounded_retries(status: int) -> None:
    with FakeEndpoint(default=error(status, {"Retry-After": "0"})) as fake, pytest.raises(BackendError) as info:
        summarize(fake)
    assert str(info.value) == f"a.txt: the model endpoint answered HTTP {status} (3 attempt(s)): fake error {status}"
    assert len(fake.requests) == 3


def test_a_client_error_is_not_retried() -> None:
    with FakeEndpoint(default=error(400)) as fake, pytest.raises(BackendError, match=r"HTTP 400 \(1 attempt"):
        summarize(fake)
    assert len(fake.requests) == 1


def test_a_dropped_connection_is_retried_then_reported() -> None:
    with FakeEndpoint(default=hang_up) as fake, pytest.raises(BackendError) as info:
        summarize(fake)
    assert str(info.value) == f"a.txt: cannot reach the model endpoint at {fake.url} (3 attempt(s))"
    assert info.value.unreachable


def test_connection_refused_is_reported_quickly() -> None:
    with FakeEndpoint() as fake:
        url = fake.url
    t0 = time.monotonic()
    with pytest.raises(BackendError, match="cannot reach the model endpoint"):
        summarize(type("F", (), {"url": url})())  # type: ignore[arg-type]
    assert time.monotonic() - t0 < 15
