"""Backends and structured-output modes, each in one table.

Backends (:data:`BACKENDS`): ``embedded``, no endpoint configured: the tool starts llama.cpp's native server
(xllamacpp) on the verified local GGUF and keeps the prompt's fixed prefix across runs
(:mod:`summarizer.backends.prefix`). ``remote``: any OpenAI-compatible endpoint from ``OPENAI_BASE_URL`` /
``--base-url``.

Output modes (:data:`OUTPUT_MODES`): ``TOOLS``, a forced tool call (instructor's TOOLS mode), the default for
remote endpoints, where function calling is the most widely supported form. ``JSON_SCHEMA``: ``response_format``
json_schema (instructor's JSON_SCHEMA mode); the model sees no tool definition, so the schema is written into
the system prompt. ``GRAMMAR``: JSON_SCHEMA sent to llama.cpp as a compact llguidance grammar
(:mod:`summarizer.backends.grammar`), the embedded default: on llama.cpp's server a forced named tool call does
not produce a tool call with this model. ``SUMMARIZER_MODE`` / ``--mode`` picks one (or any instructor mode name).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from ..choices import OutputModeName, check_output_mode, is_output_mode
from ..config import Settings
from ..errors import ConfigError
from . import modelfile  # resolve() and require_server() are called through their modules, so a stand-in
from . import server as server_mod  # put there (the tests' fake server) is the one called
from .modelfile import DEFAULT_MODEL, ModelFile, Progress
from .prefix import Outcome, PrefixCache, prefix_dir
from .server import EmbeddedServer

if TYPE_CHECKING:
    from instructor import Instructor


@dataclass(frozen=True)
class OutputMode:
    """How a call asks for structured output."""

    name: str
    instructor_mode: str  # member name of instructor.Mode
    schema_in_prompt: bool  # write the JSON schema into the system prompt (nothing else shows it to the model)
    compact_grammar: bool  # llama.cpp only: send the schema as an llguidance grammar without free whitespace


OUTPUT_MODES: dict[OutputModeName, OutputMode] = {
    "TOOLS": OutputMode("TOOLS", "TOOLS", schema_in_prompt=False, compact_grammar=False),
    "JSON_SCHEMA": OutputMode("JSON_SCHEMA", "JSON_SCHEMA", schema_in_prompt=True, compact_grammar=False),
    "GRAMMAR": OutputMode("GRAMMAR", "JSON_SCHEMA", schema_in_prompt=True, compact_grammar=True),
}


def output_mode(name: str) -> OutputMode:
    """A mode of :data:`OUTPUT_MODES`, or any other instructor mode by its name (used as instructor defines it)."""
    if is_output_mode(name):
        return OUTPUT_MODES[name]
    check_output_mode(name)
    return OutputMode(name, name, schema_in_prompt=False, compact_grammar=False)


@dataclass(frozen=True)
class BackendSpec:
    """How to talk to one kind of endpoint."""

    name: str
    mode: OutputModeName  # key of OUTPUT_MODES
    default_model: str
    placeholder_key: str | None  # sent when no key is configured (local servers ignore it)
    http_retries: int


BACKENDS: dict[str, BackendSpec] = {
    "embedded": BackendSpec("embedded", "GRAMMAR", DEFAULT_MODEL.name, "sk-no-key-required", http_retries=0),
    "remote": BackendSpec("remote", "TOOLS", "gpt-4o-mini", None, http_retries=2),
}


@dataclass
class Connection:
    """An open client: the instructor-wrapped OpenAI client plus what the pipeline needs to call it."""

    client: Instructor
    model: str
    backend: BackendSpec
    base_url: str
    n_ctx: int | None  # known context window, None when the endpoint does not say
    mode: OutputMode = OUTPUT_MODES["TOOLS"]
    server: EmbeddedServer | None = None  # the embedded server behind ``base_url``, if the tool started it
    prefixes: PrefixCache | None = None  # saves/restores the fixed prompt prefix (embedded server only)
    model_file: ModelFile | None = None  # the GGUF the embedded server runs
    loaded: dict[str, Outcome] = field(default_factory=dict)  # prompt name → what loading its prefix did

    def load_prefix(self, prompt: str, messages: list[dict[str, str]]) -> Outcome | None:
        """Once per connection and prompt: restore (or read and save) the prompt's fixed prefix in the embedded
        server; ``messages`` are the prompt rendered with :data:`~summarizer.prompts.SENTINEL` for every
        article-dependent value. Returns ``restored``, ``saved`` or ``unchanged``; None when there is no cache."""
        if self.prefixes is None:
            return None
        if prompt not in self.loaded:
            self.loaded[prompt] = self.prefixes.load(messages, prompt)
        return self.loaded[prompt]

    def server_exit_code(self, wait: float = 2.0) -> int | None:
        """The embedded server's exit code if it has died (waiting up to ``wait`` s for a dying one), else None;
        None for remote endpoints."""
        proc = self.server.proc if self.server is not None else None
        if proc is None:
            return None
        try:
            return proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            return None


def _is_loopback(url: str) -> bool:
    return urlparse(url).hostname in ("localhost", "127.0.0.1", "::1")


def _instructor_client(settings: Settings, spec: BackendSpec, base_url: str, mode: OutputMode) -> Instructor:
    import instructor
    from openai import OpenAI

    key = settings.api_key.get_secret_value() if settings.api_key else spec.placeholder_key
    if key is None and _is_loopback(base_url):
        key = BACKENDS["embedded"].placeholder_key  # local servers (llama.cpp, vLLM, Ollama) need no key
    if key is None:
        raise ConfigError("no API key: set OPENAI_API_KEY (or SUMMARIZER_API_KEY) for the remote endpoint")
    http_client = None
    if mode.compact_grammar:
        from .grammar import GrammarHttpClient

        http_client = GrammarHttpClient()
    raw = OpenAI(
        api_key=key,
        base_url=base_url,
        max_retries=spec.http_retries,
        timeout=settings.request_timeout,
        http_client=http_client,
    )
    return instructor.from_openai(raw, mode=instructor.Mode[mode.instructor_mode])


@contextmanager
def connect(settings: Settings, progress: Progress | None = None) -> Iterator[Connection]:
    """Open the configured backend; for ``embedded`` this starts (and finally stops) the local server."""
    spec = BACKENDS[settings.backend]
    if settings.backend == "remote":
        assert settings.base_url is not None
        if not settings.base_url.startswith(("http://", "https://")):
            raise ConfigError(f"base URL must start with http:// or https://, got {settings.base_url!r}")
        mode = output_mode(settings.mode or spec.mode)
        client = _instructor_client(settings, spec, settings.base_url, mode)
        yield Connection(client, settings.model or spec.default_model, spec, settings.base_url, None, mode)
        return
    mode = output_mode(settings.mode or spec.mode)

    server_mod.require_server()  # before fetching a 1 GB model that could not be served
    model_file = modelfile.resolve(settings, progress=progress)
    alias = settings.model or (model_file.name if settings.model_path else spec.default_model)
    with EmbeddedServer(
        model_file.path,
        alias=alias,
        n_ctx=settings.n_ctx,
        n_threads=settings.n_threads,
        start_timeout=settings.server_start_timeout,
        slot_dir=prefix_dir(settings) if settings.prefix_cache else None,
    ) as server:
        client = _instructor_client(settings, spec, server.base_url, mode)
        prefixes = None
        if settings.prefix_cache:
            prefixes = PrefixCache(server.base_url, prefix_dir(settings), model_file.sha256, settings.n_ctx)
        yield Connection(client, alias, spec, server.base_url, settings.n_ctx, mode, server, prefixes, model_file)


__all__ = ["BACKENDS", "OUTPUT_MODES", "BackendSpec", "Connection", "OutputMode", "connect", "output_mode"]
