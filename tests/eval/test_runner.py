"""Live eval runs against a scripted endpoint: cassettes written, and ``--reuse`` answering from another folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from pydantic import SecretStr

from summarizer import Settings
from summarizer.eval.gold import GoldCase, load_gold_dir
from summarizer.eval.replay import article_seconds, load_interactions
from summarizer.eval.runner import run_cases

from ..fake_openai import VALID, FakeEndpoint, completion, reply
from ..support.paths import ROOT


def _seed() -> GoldCase:
    return next(c for c in load_gold_dir(ROOT / "evals" / "gold", ROOT) if c.id == "seed-000")


def _settings(url: str, seed: int = 0) -> Settings:
    return Settings(base_url=url, api_key=SecretStr("sk-x"), model="fake", pipeline="cited", seed=seed)


def test_reuse_answers_identical_requests_from_the_other_folder_and_keeps_only_what_was_used(
    tmp_path: Path,
) -> None:
    timed = {**completion(), "timings": {"prompt_ms": 1500.0, "predicted_ms": 500.0}}  # llama.cpp's own clock
    first, second, third = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    with FakeEndpoint([reply(timed)]) as fake:
        (rec,) = run_cases([_seed()], _settings(fake.url), live=True, cassette_dir=first)
    assert rec.prediction is not None and len(load_interactions(first / "seed-000.yaml")) == 1
    assert "reused_answers" not in json.loads((first / "seed-000.timing.json").read_text(encoding="utf-8"))

    with FakeEndpoint() as fake:  # the same request: answered from the folder, the endpoint never called
        (again,) = run_cases([_seed()], _settings(fake.url), live=True, cassette_dir=second, reuse=first)
        assert fake.requests == []
    assert again.prediction is not None and again.prediction.trips == rec.prediction.trips
    timing = json.loads((second / "seed-000.timing.json").read_text(encoding="utf-8"))
    assert timing["reused_answers"] == 1 and timing["seconds"] == 2.0  # the server's time for the reused answer
    assert timing["live_seconds"] < 2.0
    assert load_interactions(second / "seed-000.yaml") == load_interactions(first / "seed-000.yaml")

    other = completion({**VALID, "summary": "Another setting's answer."})
    with FakeEndpoint([reply(other)]) as fake:  # another request: asked live; the unused recording is not kept
        (new,) = run_cases([_seed()], _settings(fake.url, seed=7), live=True, cassette_dir=third, reuse=first)
        assert len(fake.requests) == 1
    assert new.prediction is not None and new.prediction.summary == "Another setting's answer."
    (kept,) = load_interactions(third / "seed-000.yaml")
    assert "Another setting" in json.dumps(kept)
    assert "reused_answers" not in (third / "seed-000.timing.json").read_text(encoding="utf-8")


def test_an_articles_server_seconds_count_the_article_read_once(tmp_path: Path) -> None:
    """A system prompt of 2,600 tokens and an article of 1,000: the first answer reads the article; the second
    (a reuse run's first live call) reads it again, and counts only its 50 tokens past the article."""

    def answer(cache_n: int, prompt_n: int, prompt_ms: float, predicted_ms: float) -> dict[str, object]:
        body = {"usage": {"prompt_tokens": cache_n + prompt_n},
                "timings": {"cache_n": cache_n, "prompt_n": prompt_n, "prompt_ms": prompt_ms,
                            "predicted_ms": predicted_ms}}  # fmt: skip
        return {"request": {"body": "{}"}, "response": {"body": {"string": json.dumps(body)}}}

    cassette = tmp_path / "a.yaml"
    calls = [answer(2600, 1010, 25000, 100), answer(2600, 1050, 30000, 5000), answer(3600, 50, 2000, 0)]
    cassette.write_text(yaml.safe_dump({"interactions": calls}), encoding="utf-8")
    assert article_seconds(load_interactions(cassette)) == pytest.approx(25.1 + 30 * 50 / 1050 + 5 + 2)


def test_a_live_run_rewrites_the_cassette_rather_than_adding_to_it(tmp_path: Path) -> None:
    """vcrpy's ``all`` mode would keep the first run's answer, which the second run's request no longer matches."""
    for seed in (0, 7):
        with FakeEndpoint() as fake:
            run_cases([_seed()], _settings(fake.url, seed=seed), live=True, cassette_dir=tmp_path)
    (only,) = load_interactions(tmp_path / "seed-000.yaml")
    assert '"seed":7' in str(only["request"]).replace(" ", "")
