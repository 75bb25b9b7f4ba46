"""Settings: a flag beats ``SUMMARIZER_*``, which beats ``OPENAI_*``, which beats the defaults.

The API key is a :class:`~pydantic.SecretStr`: it is never printed, logged or written out.
With no ``base_url`` configured the backend is ``embedded`` (the tool starts llama.cpp's server).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

Backend = Literal["embedded", "remote"]


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
    model_path: Path | None = Field(default=None, description="GGUF file for the embedded server")
    pipeline: str = "cited"
    mode: str | None = Field(
        default=None, description="structured-output mode (TOOLS, JSON_SCHEMA, GRAMMAR); default from the backend table"
    )
    prompt: str | None = Field(default=None, description="prompt template name; default: the pipeline's own")
    strict: bool = False
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

    @property
    def backend(self) -> Backend:
        return "remote" if self.base_url else "embedded"

    def describe(self) -> dict[str, object]:
        """Settings safe to record in outputs and run logs (never the key)."""
        data = self.model_dump(exclude={"api_key"}, mode="json")
        data["backend"] = self.backend
        data["api_key_set"] = self.api_key is not None
        return data
