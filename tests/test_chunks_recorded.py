"""A long article built from four real ones, chunked and merged, replayed from recordings of the real model."""

from __future__ import annotations

import re

import pytest

from summarizer import Settings, Summarizer
from summarizer.articles import Article, read_article
from summarizer.chunks import plan_chunks
from summarizer.pipeline import CHARS_PER_TOKEN

from .support.paths import ARTICLES

PARTS = ("dev-10-pompeo-fourth-visit", "dev-11-hanoi-summit-expectations", "seed-001", "seed-002")
CONTEXT_LEFT = 8192 - 3000 - 1536  # what the embedded default context leaves for the article (see pipeline.plan)


@pytest.mark.vcr
def test_a_long_article_is_chunked_and_its_records_merged_with_whole_article_offsets(
    recorded_settings: Settings,
) -> None:
    text = "\n\n".join(read_article(ARTICLES / f"{p}.txt").text.strip() for p in PARTS)
    settings = recorded_settings.model_copy(update={"chunk_tokens": CONTEXT_LEFT})
    with Summarizer(settings) as s:
        result = s.summarize_article(Article("long.txt", text))
    assert len(text) > CONTEXT_LEFT * 3.5
    assert result.meta is not None and result.meta.chunks == 2 and result.meta.usage.calls == 2
    records = [r for rs in result.records().values() for r in rs]
    starts = [span.start for r in records for span in r.spans if span.start is not None]
    second = plan_chunks(text, int(CONTEXT_LEFT * CHARS_PER_TOKEN), settings.chunk_overlap)[1].offset
    last_part = text.index(read_article(ARTICLES / f"{PARTS[-1]}.txt").text.strip()[:200])
    assert min(starts) < second and max(starts) > last_part > second  # records from both chunks
    for rec in records:
        for quote, span in zip(rec.evidence, rec.spans, strict=True):  # type: ignore[attr-defined]
            if span.start is None:  # the model cited a number beyond its chunk: kept as "[sentence N]", ungrounded
                assert re.fullmatch(r"\[sentence \d+\]", quote) and not rec.grounded
            else:
                assert text[span.start : span.end] == quote
    for category, recs in result.records().items():
        spans = [(sp.start, sp.end) for r in recs for sp in r.spans if sp.start is not None]
        assert len(spans) == len(set(spans)), category  # no evidence told twice: overlapping records merged
