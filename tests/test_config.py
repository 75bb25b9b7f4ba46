import pytest

from summarizer import Settings


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
