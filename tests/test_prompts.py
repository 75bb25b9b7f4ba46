import hashlib
from pathlib import Path

import pytest

from summarizer.errors import ConfigError
from summarizer.prompts import load_template, render_messages


def test_every_pipeline_prompt_renders_and_is_identified_by_its_hash() -> None:
    for name in ("extract", "cited", "lean"):
        messages, refs = render_messages(name, article="A.", published=None, sentences="[1] A.", schema=None)
        with_schema, _ = render_messages(name, article="A.", published=None, sentences="[1] A.", schema='{"s": 1}')
        assert "JSON schema" not in messages[0]["content"]  # TOOLS mode: the tool carries the schema
        assert with_schema[0]["content"].endswith('matches this JSON schema:\n{"s": 1}')
        assert [m["role"] for m in messages] == ["system", "user"]
        assert "Publication date: unknown" in messages[1]["content"]
        for ref in refs:
            path = Path(__file__).resolve().parent.parent / "prompts" / ref.name
            assert ref.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_missing_variable_is_an_error_not_an_empty_string() -> None:
    with pytest.raises(ConfigError, match=r"prompt template cited\.user\.j2: 'sentences' is undefined"):
        load_template("cited", "user").render(published="2018-01-01")


def test_an_unknown_template_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match=r"prompt template not found: .*nope\.system\.j2"):
        render_messages("nope", article="A.")
