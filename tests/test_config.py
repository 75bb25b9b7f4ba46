from pathlib import Path

import pytest
from platformdirs import user_cache_dir

from summarizer import Settings
from summarizer.backends.modelfile import cache_dir, cached_path
from summarizer.backends.prefix import prefix_dir
from summarizer.config import make_settings
from summarizer.errors import ConfigError


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_API_KEY", "SUMMARIZER_BASE_URL", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(k, raising=False)


def test_defaults_use_the_embedded_backend() -> None:
    s = Settings()
    assert s.backend == "embedded" and s.api_key is None


def test_openai_env_configures_a_remote_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://example.test/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    s = Settings()
    assert s.backend == "remote" and s.base_url == "http://example.test/v1"
    assert s.api_key is not None and s.api_key.get_secret_value() == "sk-openai"


def test_summarizer_env_beats_openai_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://openai.test/v1")
    monkeypatch.setenv("SUMMARIZER_BASE_URL", "http://summarizer.test/v1")
    assert Settings().base_url == "http://summarizer.test/v1"


def test_flag_beats_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_BASE_URL", "http://env.test/v1")
    monkeypatch.setenv("SUMMARIZER_MODEL", "env-model")
    s = Settings(base_url="http://flag.test/v1", model="flag-model")
    assert (s.base_url, s.model) == ("http://flag.test/v1", "flag-model")


def test_key_is_never_in_repr_or_description(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value-123")
    s = Settings()
    assert "sk-secret-value-123" not in repr(s)
    assert "sk-secret-value-123" not in str(s.describe())
    assert s.describe()["api_key_set"] is True


PIPELINES = (
    "choose from cited, single, lean, detect, detect-window, percat, scan, sift, sift-each, sift-all, sift-wide, "
    "sift-narrow"
)
MODES = "choose from TOOLS, JSON_SCHEMA, GRAMMAR (or an instructor mode name)"


@pytest.mark.parametrize(
    ("flags", "env", "message"),
    [
        ({"pipeline": "fast"}, {}, f"unknown pipeline 'fast'; {PIPELINES}"),
        ({}, {"SUMMARIZER_PIPELINE": "Cited"}, f"unknown pipeline 'Cited'; {PIPELINES}"),
        ({"mode": "FAST"}, {}, f"unknown mode 'FAST'; {MODES}"),
        ({}, {"SUMMARIZER_MODE": "tools"}, f"unknown mode 'tools'; {MODES}"),
    ],
)
def test_a_name_outside_its_list_is_refused_when_the_settings_are_built(
    flags: dict[str, str], env: dict[str, str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        make_settings(**flags)
    assert (caught.value.message, caught.value.exit_code) == (message, 2)


def test_names_from_the_lists_are_kept() -> None:
    s = make_settings(pipeline="detect-window", mode="MD_JSON", prompt="lean")
    assert (s.pipeline, s.mode, s.prompt) == ("detect-window", "MD_JSON", "lean")


def test_the_folders_come_from_the_settings_and_their_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "env"))
    monkeypatch.setenv("SUMMARIZER_PROMPTS_DIR", str(tmp_path / "prompts"))
    s = Settings()
    assert (s.cache_dir, s.prompts_dir) == (tmp_path / "env", tmp_path / "prompts")
    env = tmp_path / "env"
    assert (cache_dir(s), prefix_dir(s), cached_path(s).parent) == (env, env / "prefixes", env)
    assert cache_dir(Settings(cache_dir=tmp_path / "flag")) == tmp_path / "flag"  # a flag beats the variable
    monkeypatch.delenv("SUMMARIZER_CACHE_DIR")
    assert cache_dir(Settings()) == Path(user_cache_dir("summarizer")) / "models"


def test_the_default_embedded_model_is_priced_at_nothing() -> None:
    from summarizer.backends.modelfile import DEFAULT_MODEL
    from summarizer.batch import cost
    from summarizer.config import DEFAULT_PRICES, Settings

    assert DEFAULT_PRICES[DEFAULT_MODEL.name] == (0.0, 0.0)  # its recordings replayed through a "remote" endpoint
    remote = Settings(base_url="http://127.0.0.1:9/v1")
    assert cost(remote, DEFAULT_MODEL.name, 1000, 1000) == 0.0
    assert cost(remote, "gpt-4o-mini", 1_000_000, 1_000_000) == 0.75
    assert cost(remote, "someone-elses-model", 10, 10) is None
    assert cost(Settings(), "any-local-gguf", 10, 10) == 0.0
