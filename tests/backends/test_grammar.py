"""The GRAMMAR mode's request rewrite: JSON schema → llguidance grammar with fixed separators and closed objects."""

from __future__ import annotations

import json

import httpx
import pytest
from pydantic import SecretStr

from summarizer import Settings
from summarizer.backends import OUTPUT_MODES, connect, output_mode
from summarizer.backends.grammar import COMPACT, compact_grammar, rewrite
from summarizer.calls import call_model
from summarizer.errors import ConfigError
from summarizer.schemas import CitedExtraction

from ..fake_openai import FakeEndpoint


def _grammar_schema(grammar: str) -> dict[str, object]:
    head = "%llguidance {}\nstart: %json "
    assert grammar.startswith(head)
    parsed: dict[str, object] = json.loads(grammar[len(head) :])
    return parsed


def test_the_grammar_closes_every_object_and_fixes_the_separators() -> None:
    schema = CitedExtraction.model_json_schema()
    parsed = _grammar_schema(compact_grammar(schema))
    assert (
        parsed["x-guidance"] == COMPACT == {"whitespace_flexible": False, "item_separator": ", ", "key_separator": ": "}
    )
    objects = [parsed, *parsed["$defs"].values()]  # type: ignore[attr-defined]
    assert len(objects) > 4 and all(o["additionalProperties"] is False for o in objects)
    assert "additionalProperties" not in schema  # the model's own schema is left as it was


def test_a_json_schema_request_is_sent_as_a_grammar_and_nothing_else_changes() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    body = {"model": "m", "messages": [], "response_format": {"type": "json_schema", "json_schema": {"schema": schema}}}
    req = httpx.Request("POST", "http://127.0.0.1:1/v1/chat/completions", json=body, headers={"x-k": "v"})
    out = rewrite(req)
    sent = json.loads(out.content)
    assert "response_format" not in sent and sent["model"] == "m" and out.headers["x-k"] == "v"
    assert _grammar_schema(sent["grammar"])["properties"] == schema["properties"]
    assert int(out.headers["content-length"]) == len(out.content)
    tools = httpx.Request("POST", "http://127.0.0.1:1/v1/chat/completions", json={"tools": [], "messages": []})
    other = httpx.Request("POST", "http://127.0.0.1:1/slots/0?action=save", json=body)
    for untouched in (tools, other, httpx.Request("GET", "http://127.0.0.1:1/v1/models")):
        assert rewrite(untouched) is untouched


def test_grammar_mode_sends_the_grammar_and_parses_the_content_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeEndpoint() as fake:
        settings = Settings(base_url=fake.url, api_key=SecretStr("sk-x"), mode="GRAMMAR")
        with connect(settings) as conn:
            result, usage = call_model(conn, [{"role": "user", "content": "x"}], settings, "a.txt", CitedExtraction)
    sent = fake.requests[0]["body"]
    assert "grammar" in sent and "response_format" not in sent and "tools" not in sent
    assert result.trips[0].traveler == "Mike Pompeo" and usage.calls == 1


def test_modes_come_from_one_table_and_an_unknown_one_is_a_clear_error() -> None:
    assert output_mode("GRAMMAR") is OUTPUT_MODES["GRAMMAR"] and OUTPUT_MODES["GRAMMAR"].schema_in_prompt
    assert not output_mode("MD_JSON").compact_grammar  # any instructor mode by name
    with pytest.raises(ConfigError, match=r"unknown mode 'FAST'; choose from TOOLS, JSON_SCHEMA, GRAMMAR"):
        output_mode("FAST")
