"""Token log-probabilities through one function of the model layer (the real server's: tests/test_live.py)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from pydantic import SecretStr

from summarizer import Settings
from summarizer.backends import connect
from summarizer.errors import BackendError, LogprobsUnavailableError
from summarizer.logprobs import token_logprobs

from .fake_openai import completion, error, reply

from .fake_openai import FakeEndpoint  # isort: skip

ASK = [{"role": "user", "content": "Is Paris in France? Answer yes or no."}]


def with_logprobs(tokens: list[tuple[str, float, dict[str, float]]]) -> dict[str, Any]:
    body = completion(content="".join(t for t, _, _ in tokens), finish="stop")
    body["choices"][0]["logprobs"] = {
        "content": [
            {"token": t, "logprob": lp, "bytes": None,
             "top_logprobs": [{"token": a, "logprob": b, "bytes": None} for a, b in top.items()]}
            for t, lp, top in tokens
        ]
    }  # fmt: skip
    return body


def test_tokens_come_back_with_their_alternatives_and_a_normalised_choice() -> None:
    answer = with_logprobs([("Yes", math.log(0.6), {"Yes": math.log(0.6), " yes": math.log(0.2), "No": math.log(0.1)})])
    with FakeEndpoint([reply(answer)]) as fake:
        settings = Settings(base_url=fake.url, api_key=SecretStr("sk-x"))
        with connect(settings) as conn:
            got = token_logprobs(conn, ASK, settings, source="a.txt", top=3)
    sent = fake.requests[0]["body"]
    assert sent["logprobs"] is True and sent["top_logprobs"] == 3 and sent["max_tokens"] == 1
    assert got.text == "Yes" and got.tokens[0].token == "Yes" and got.usage.calls == 1
    assert got.probability("yes", "no") == pytest.approx(0.8 / 0.9)  # "Yes" and " yes" both count as yes
    assert got.probability("maybe", "no") == 0.0


def test_an_endpoint_without_logprobs_is_a_clear_error() -> None:
    with FakeEndpoint([reply(completion(content="Yes", finish="stop"))]) as fake:
        settings = Settings(base_url=fake.url, api_key=SecretStr("sk-x"))
        with connect(settings) as conn, pytest.raises(LogprobsUnavailableError) as info:
            token_logprobs(conn, ASK, settings, source="a.txt")
    assert str(info.value) == (
        f"a.txt: the model endpoint at {fake.url} returned no token log-probabilities; "
        "use the embedded model, an endpoint that supports logprobs, or --pipeline cited"
    )
    assert info.value.exit_code == 4


def test_a_failing_endpoint_is_the_usual_backend_error() -> None:
    with FakeEndpoint([error(400)]) as fake:
        settings = Settings(base_url=fake.url, api_key=SecretStr("sk-x"))
        with (
            connect(settings) as conn,
            pytest.raises(BackendError, match=r"a.txt: the model endpoint answered HTTP 400"),
        ):
            token_logprobs(conn, ASK, settings, source="a.txt")


def test_a_schema_constrains_the_answer_as_structured_calls_are() -> None:
    answer = with_logprobs([('{"answer": "yes"}', -0.1, {})])
    with FakeEndpoint([reply(answer)]) as fake:
        settings = Settings(base_url=fake.url, api_key=SecretStr("sk-x"), mode="GRAMMAR")
        schema = {"type": "object", "properties": {"answer": {"enum": ["yes", "no"]}}, "required": ["answer"]}
        with connect(settings) as conn:
            token_logprobs(conn, ASK, settings, source="a.txt", max_tokens=8, schema=schema)
    assert "grammar" in fake.requests[0]["body"] and "response_format" not in fake.requests[0]["body"]


def test_choices_reads_one_distribution_per_choice_token_and_skips_forced_ones() -> None:
    from summarizer.logprobs import LogprobReply, TokenLogprob
    from summarizer.schemas import Usage

    lg = math.log
    tokens = [
        TokenLogprob("[1]", 0.0), TokenLogprob(" T", lg(0.6), {" T": lg(0.6), "N": lg(0.3), "x": lg(0.1)}),
        TokenLogprob("\n", 0.0), TokenLogprob("[2]", 0.0), TokenLogprob(" N", lg(0.9), {" N": lg(0.9), "K": lg(0.1)}),
    ]  # fmt: skip
    got = LogprobReply("", tokens, Usage()).choices(["T", "K", "N"])
    assert len(got) == 2
    assert got[0] == pytest.approx({"T": 2 / 3, "K": 0.0, "N": 1 / 3})
    assert got[1] == pytest.approx({"T": 0.0, "K": 0.1, "N": 0.9})


def test_a_recorded_token_reads_as_the_live_call_reads_it() -> None:
    """A check's answer recorded in a cassette (raw JSON) gives the same P(Y) as the record's ``score`` that the
    run made of it live, through :meth:`TokenLogprob.from_json`."""
    import json

    from summarizer.eval import runlog
    from summarizer.eval.replay import load_interactions
    from summarizer.logprobs import TokenLogprob, distribution

    from .support.paths import ROOT

    recorded = load_interactions(ROOT / "cassettes" / "eval" / "sift-wide" / "seed-000.yaml")
    checks = [
        json.loads(i["response"]["body"]["string"])["choices"][0]["logprobs"]["content"][0]
        for i in recorded
        if json.loads(i["request"]["body"])["messages"][-1]["content"].startswith("Check trips:")
    ]
    (case,) = [c for c in runlog.load(ROOT / "evals" / "runs" / "20261202-130304-replay-sift-wide.json").cases
               if c.id == "seed-000"]  # fmt: skip
    assert case.prediction is not None and case.prediction.trips
    scores = sorted(round(distribution(TokenLogprob.from_json(t), ["Y", "N"])["Y"], 4) for t in checks)
    assert {t.score for t in case.prediction.trips} <= set(scores)
    assert TokenLogprob.from_json({"token": "Y", "logprob": -0.5, "top_logprobs": None}) == TokenLogprob("Y", -0.5)
