"""The library on the three seed articles, replayed from recordings of the real embedded model."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from summarizer import ArticleSummary, Settings, summarize
from summarizer.errors import InputError

from .support.paths import SEEDS


@pytest.mark.vcr
@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seed_article_gives_a_valid_grounded_summary(
    seed: str, seed_text: dict[str, str], recorded_settings: Settings
) -> None:
    text = seed_text[seed]
    result = summarize(text, published=SEEDS[seed], settings=recorded_settings)
    assert isinstance(result, ArticleSummary)
    assert result.summary.strip()
    assert result.meta is not None and result.meta.usage.prompt_tokens > 0
    assert [p.name for p in result.meta.prompts] == ["cited.system.j2", "cited.user.j2"]
    assert result.meta.pipeline == "cited" and result.grounding_rate == 1.0
    for records in result.records().values():
        for rec in records:
            for span in rec.spans:
                if span.start is not None:
                    assert span.end is not None and 0 <= span.start < span.end <= len(text)
            assert rec.grounded == (bool(rec.spans) and all(s.method != "none" for s in rec.spans))


@pytest.mark.vcr("test_seed_article_gives_a_valid_grounded_summary[seed-000].yaml")
def test_strict_drops_only_ungrounded_records(seed_text: dict[str, str], recorded_settings: Settings) -> None:
    loose = summarize(seed_text["seed-000"], published="2018-09-26", settings=recorded_settings)
    strict = summarize(
        seed_text["seed-000"], published="2018-09-26", settings=recorded_settings.model_copy(update={"strict": True})
    )
    for cat, records in loose.records().items():
        assert strict.records()[cat] == [r for r in records if r.grounded]


def test_empty_text_is_refused_before_any_model_call() -> None:
    with pytest.raises(InputError, match="the article is empty"):
        summarize("   \n ", settings=Settings(base_url="http://127.0.0.1:9/v1", api_key=SecretStr("x")))


def test_an_article_that_is_not_text_is_an_input_error() -> None:
    with pytest.raises(InputError) as info:
        summarize(b"bytes", settings=Settings(base_url="http://127.0.0.1:9/v1", api_key="x"))  # type: ignore[arg-type]
    assert str(info.value) == "<text>: expected the article as str, got bytes" and info.value.exit_code == 2


@pytest.mark.vcr("test_seed_article_gives_a_valid_grounded_summary[seed-000].yaml")
def test_asummarize_gives_the_same_result(seed_text: dict[str, str], recorded_settings: Settings) -> None:
    import asyncio

    from summarizer import asummarize

    sync = summarize(seed_text["seed-000"], published="2018-09-26", settings=recorded_settings)
    result = asyncio.run(asummarize(seed_text["seed-000"], published="2018-09-26", settings=recorded_settings))
    assert result.model_dump(exclude={"meta"}) == sync.model_dump(exclude={"meta"})
