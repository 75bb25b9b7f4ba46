"""Settings: a flag beats ``SUMMARIZER_*``, which beats ``OPENAI_*``, which beats the defaults.

The API key is a :class:`~pydantic.SecretStr`: it is never printed, logged or written out.
With no ``base_url`` configured the backend is ``embedded`` (the tool starts llama.cpp's server).

Rules: every ``SUMMARIZER_*`` variable is read here and nowhere else (``SUMMARIZER_PROMPTS_DIR`` and
``SUMMARIZER_CACHE_DIR`` too: modules take those folders from the :class:`Settings` they are given). A name
chosen from a list (``pipeline``, ``mode``, ``prompt``) is checked when the settings are built, and an unknown
one raises :class:`~summarizer.errors.UnknownChoiceError` (a ``ConfigError``) at once, listing the choices
(:mod:`summarizer.choices`; a prompt's are the templates in ``prompts_dir``);
any other invalid value raises pydantic's ``ValidationError``, which :func:`make_settings` turns into a
``ConfigError`` too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .choices import DEFAULT_PIPELINE, OUTPUT_MODE_NAMES, PIPELINE_NAMES, PipelineName, check_output_mode
from .errors import ConfigError, UnknownChoiceError, first_error
from .prompts import prompt_names, prompts_dir

Backend = Literal["embedded", "remote"]
# USD per million prompt and completion tokens, OpenAI's list prices as published in 2025, for the batch report's
# cost (summarizer/batch.py). Extend or override with SUMMARIZER_PRICES='{"my-model": [0.1, 0.4]}'; the embedded
# backend costs 0 (and so does its default model when its recordings are replayed), a model not listed has no cost.
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "qwen2.5-coder-1.5b-instruct-q4_k_m": (0.0, 0.0),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
}


class Settings(BaseSettings):
    """Everything that decides how an article is summarized."""

    model_config = SettingsConfigDict(
        env_prefix="SUMMARIZER_",
        populate_by_name=True,
        extra="ignore",
        env_ignore_empty=True,
        protected_namespaces=(),
    )

    api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("api_key", "SUMMARIZER_API_KEY", "OPENAI_API_KEY")
    )
    base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("base_url", "SUMMARIZER_BASE_URL", "OPENAI_BASE_URL")
    )
    model: str | None = Field(default=None, description="model name sent to the endpoint")
    model_path: Path | None = Field(
        default=None, description="your own GGUF file for the embedded server (default: the verified download)"
    )
    model_sha256: str | None = Field(
        default=None, pattern=r"^[0-9a-fA-F]{64}$", description="check --model-path against this SHA-256"
    )
    pipeline: PipelineName = DEFAULT_PIPELINE
    mode: str | None = Field(
        default=None,
        description=f"structured-output mode ({', '.join(OUTPUT_MODE_NAMES)}, or an instructor mode name); default "
        "from the backend table",
    )
    prompt: str | None = Field(default=None, description="prompt template name; default: the pipeline's own")
    strict: bool = False
    normalize: bool = Field(
        default=True,
        description="resolve dates, canonical actors, ISO codes, ids and links after the model (summarizer.normalize)",
    )
    temperature: float = 0.0
    seed: int = 0
    max_tokens: int = Field(default=1536, ge=64, description="cap per model call: a runaway completion is an error")
    max_retries: int = Field(default=1, ge=0, le=5, description="re-asks after a schema validation error")
    request_timeout: float = Field(default=900.0, gt=0)
    n_ctx: int = Field(default=8192, ge=1024)
    chunk_tokens: int | None = Field(
        default=None, ge=256, description="article tokens per model call; default: what the embedded context leaves"
    )
    chunk_overlap: int = Field(default=2, ge=0, le=20, description="sentences shared by neighbouring chunks")
    max_chunks: int = Field(default=8, ge=1, le=1000, description="longer articles are refused before any call")
    n_threads: int | None = None
    server_start_timeout: float = Field(default=180.0, gt=0)
    prefix_cache: bool = Field(
        default=True, description="embedded server: save the prompt's fixed prefix and restore it in later runs"
    )
    fuzzy_threshold: float = Field(default=90.0, ge=50.0, le=100.0)
    prompts_dir: Path | None = Field(
        default=None, description="folder of prompt templates; default: the prompts shipped with the package"
    )
    cache_dir: Path | None = Field(
        default=None, description="folder of the downloaded model and saved prefixes; default: the user cache"
    )
    db: Path | None = Field(
        default=None, description="the run store (SQLite) of summarize runs; default: runs.db in the user data dir"
    )
    prices: dict[str, tuple[float, float]] = Field(
        default_factory=lambda: dict(DEFAULT_PRICES),
        description="USD per million prompt and completion tokens, by model name (added to the defaults)",
    )

    @field_validator("prices", mode="after")
    @classmethod
    def _with_default_prices(cls, value: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        return {**DEFAULT_PRICES, **value}

    @field_validator("pipeline", mode="before")
    @classmethod
    def _known_pipeline(cls, value: object) -> object:
        if value not in PIPELINE_NAMES:
            raise UnknownChoiceError("pipeline", value, PIPELINE_NAMES)
        return value

    @field_validator("mode")
    @classmethod
    def _known_mode(cls, value: str | None) -> str | None:
        return None if value is None else check_output_mode(value)

    @model_validator(mode="after")
    def _known_prompt(self) -> Settings:
        if self.prompt is not None:
            names = prompt_names(self)
            if self.prompt not in names:
                raise UnknownChoiceError("prompt", self.prompt, names, f" (the templates in {prompts_dir(self)})")
        return self

    @property
    def backend(self) -> Backend:
        return "remote" if self.base_url else "embedded"

    def describe(self) -> dict[str, object]:
        """Settings safe to record in outputs and run logs (never the key)."""
        data = self.model_dump(exclude={"api_key"}, mode="json")
        data["backend"] = self.backend
        data["api_key_set"] = self.api_key is not None
        return data


def make_settings(**flags: Any) -> Settings:
    """Settings from flags (None means: not given) over ``SUMMARIZER_*`` / ``OPENAI_*`` over the defaults; an
    invalid value is a :class:`~summarizer.errors.ConfigError` with one line saying which and why."""
    given = {k: v for k, v in flags.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        raise ConfigError(f"invalid setting {first_error(exc)}") from None
