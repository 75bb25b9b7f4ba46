import hashlib
from pathlib import Path

import pytest

from summarizer.config import Settings, make_settings
from summarizer.errors import ConfigError
from summarizer.prompts import load_template, prompt_names, render_messages

SHIPPED = Settings(prompts_dir=None)


def test_every_pipeline_prompt_renders_and_is_identified_by_its_hash() -> None:
    for name in ("extract", "cited", "lean"):
        messages, refs = render_messages(name, SHIPPED, article="A.", published=None, sentences="[1] A.", schema=None)
        with_schema, _ = render_messages(
            name, SHIPPED, article="A.", published=None, sentences="[1] A.", schema='{"s": 1}'
        )
        assert "JSON schema" not in messages[0]["content"]  # TOOLS mode: the tool carries the schema
        assert with_schema[0]["content"].endswith('matches this JSON schema:\n{"s": 1}')
        assert [m["role"] for m in messages] == ["system", "user"]
        assert "Publication date: unknown" in messages[1]["content"]
        for ref in refs:
            path = Path(__file__).resolve().parent.parent / "prompts" / ref.name
            assert ref.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_missing_variable_is_an_error_not_an_empty_string() -> None:
    with pytest.raises(ConfigError, match=r"prompt template cited\.user\.j2: 'sentences' is undefined"):
        load_template("cited", "user", SHIPPED).render(published="2018-01-01")


def test_an_unknown_template_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match=r"prompt template not found: .*nope\.system\.j2"):
        render_messages("nope", SHIPPED, article="A.")


def test_the_templates_come_from_the_settings_folder_and_its_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mine.system.j2").write_text("Only {{ article }}.", encoding="utf-8")
    (tmp_path / "mine.user.j2").write_text("Go.", encoding="utf-8")
    monkeypatch.setenv("SUMMARIZER_PROMPTS_DIR", str(tmp_path))
    settings = Settings(prompt="mine")
    assert settings.prompts_dir == tmp_path and prompt_names(settings) == ["mine"]
    messages, refs = render_messages("mine", settings, article="A")
    assert [m["content"] for m in messages] == ["Only A.", "Go."] and refs[0].name == "mine.system.j2"


def test_an_unknown_prompt_is_refused_when_the_settings_are_built() -> None:
    folder = Path(__file__).resolve().parent.parent / "prompts"
    with pytest.raises(ConfigError) as caught:
        make_settings(prompt="fast")
    assert caught.value.message == (
        f"unknown prompt 'fast'; choose from cited, detect, extract, lean (the templates in {folder})"
    )
