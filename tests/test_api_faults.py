"""The embedded server dying mid-run, with a stand-in server process (tests/fake_openai.py) in place of llama.cpp.

Rule (``Summarizer.summarize_article``): the article in flight is retried once on a restarted server; if it fails
again, its error names it, and the next article gets a fresh server.
"""

from __future__ import annotations

import logging

import pytest

from summarizer import Settings, Summarizer
from summarizer.articles import Article
from summarizer.errors import BackendError

from .support.servers import FakeEmbedded

ARTICLES = [Article(f"{n}.txt", "Pompeo will travel to Pyongyang next month.") for n in ("first", "second")]


def run_all() -> tuple[list[object], list[str]]:
    results: list[object] = []
    errors: list[str] = []
    with Summarizer(Settings()) as s:
        for article in ARTICLES:
            try:
                results.append(s.summarize_article(article))
            except BackendError as exc:
                errors.append(str(exc))
    return results, errors


def test_a_server_that_dies_mid_request_is_restarted_and_the_article_retried(
    fake_embedded: FakeEmbedded, caplog: pytest.LogCaptureFixture
) -> None:
    fake_embedded.deaths = 1
    with caplog.at_level(logging.WARNING, logger="summarizer"):
        results, errors = run_all()
    assert (len(results), errors) == (2, [])
    assert len(fake_embedded.started) == 2 and all(
        s.proc is None for s in fake_embedded.started
    )  # restarted once, all stopped
    assert "first.txt: the embedded server stopped (exit code 9) during the call; restarting it" in caplog.text


def test_a_server_that_dies_again_fails_only_that_article(fake_embedded: FakeEmbedded) -> None:
    fake_embedded.deaths = 2
    results, errors = run_all()
    assert len(results) == 1  # the second article ran on a fresh server
    (message,) = errors
    assert message.startswith(
        "first.txt: the embedded server stopped (exit code 9) during the call, and the retry after a restart "
        "failed too: first.txt: cannot reach the model endpoint"
    )
    assert len(fake_embedded.started) == 3 and all(s.proc is None for s in fake_embedded.started)
