"""Errors the library raises. The CLI turns each into one ``Error: …`` line and an exit code.

Every error derives from :class:`SummarizerError` and carries the data a caller needs
(the input it concerns, attempts, usage, the model's last raw output) as attributes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError

    from .schemas import Usage

_KEY_SHAPED = re.compile(r"(sk-[A-Za-z0-9_\-*]{4,}|Bearer\s+\S+)")


def redact(text: str) -> str:
    """``text`` with anything shaped like an API key (``sk-…``, ``Bearer …``) replaced by ``***``: endpoints echo
    the key they were sent in error messages, and those reach errors and logs."""
    return _KEY_SHAPED.sub("***", text)


def first_error(exc: ValidationError, limit: int = 300) -> str:
    """A pydantic validation error as one line: the first error's location and message, and how many more."""
    errors = exc.errors()
    if not errors:
        return (str(exc).splitlines() or [""])[0][:limit]
    first = errors[0]
    loc = ".".join(str(p) for p in first["loc"])
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{loc + ': ' if loc else ''}{first['msg']}{more}"[:limit]


class SummarizerError(Exception):
    """Root of every error this package raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(SummarizerError):
    """Settings that cannot work together (bad URL, unknown backend, missing extra)."""

    exit_code = 2


class UnknownChoiceError(ConfigError):
    """A setting names something that is not one of its choices (a pipeline, an output mode, a prompt, a format):
    ``unknown pipeline 'x'; choose from cited, single, …``. A long value is cut in the message, not in ``value``."""

    def __init__(self, setting: str, value: object, choices: Iterable[str], note: str = "") -> None:
        self.setting, self.value, self.choices = setting, value, tuple(choices)
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "…"
        super().__init__(f"unknown {setting} {shown}; choose from {', '.join(self.choices) or '(none)'}{note}")


class InputError(SummarizerError):
    """An article the tool cannot read: missing, unreadable, a directory, binary, not UTF-8, empty."""

    exit_code = 2

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class OutputError(SummarizerError):
    """The output cannot be written: ``--output`` is a directory, would overwrite an input article, or a write
    failed (disk full, permission denied). What was already written is kept."""

    exit_code = 2

    def __init__(self, target: str, problem: str) -> None:
        super().__init__(f"{target}: {problem}")
        self.target = target
        self.problem = problem


class RunLogError(SummarizerError):
    """A run log that cannot be read, was written by another version of the log format, or does not fit the gold
    set it is re-scored against."""

    exit_code = 2

    def __init__(self, path: str | None, problem: str) -> None:
        super().__init__(f"{path}: {problem}" if path else problem)
        self.path = path
        self.problem = problem


class ArticleTooLongError(InputError):
    """The article needs more chunks than ``max_chunks`` allows (each chunk fills the model's context)."""

    def __init__(self, source: str, tokens: int, chunks: int, max_chunks: int) -> None:
        super().__init__(
            source,
            f"article is about {tokens} tokens and would take {chunks} model calls, more than the "
            f"--max-chunks limit of {max_chunks}; raise --max-chunks or split the article",
        )
        self.tokens = tokens
        self.chunks = chunks
        self.max_chunks = max_chunks


class ModelFileError(SummarizerError):
    """The embedded model file is missing, cannot be fetched, or fails its SHA-256 check."""

    exit_code = 3

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class BackendError(SummarizerError):
    """The model endpoint could not be reached, refused the request, or the embedded server failed.

    ``source`` names the article being summarized (None when no article was in flight), ``attempts`` counts the
    HTTP attempts made, and ``unreachable`` is True when no connection could be made at all.
    """

    exit_code = 4

    def __init__(
        self,
        message: str,
        *,
        base_url: str | None = None,
        log_tail: str | None = None,
        source: str | None = None,
        attempts: int = 1,
        unreachable: bool = False,
    ) -> None:
        super().__init__(message)
        self.base_url = base_url
        self.log_tail = log_tail
        self.source = source
        self.attempts = attempts
        self.unreachable = unreachable


class LogprobsUnavailableError(BackendError):
    """The endpoint answered without token log-probabilities (``summarizer.logprobs`` needs them)."""

    def __init__(self, source: str, base_url: str) -> None:
        super().__init__(
            f"{source}: the model endpoint at {base_url} returned no token log-probabilities; "
            "use the embedded model, an endpoint that supports logprobs, or --pipeline cited",
            base_url=base_url,
            source=source,
        )


class ExtractionError(SummarizerError):
    """The model did not produce a valid record set within the retry budget."""

    exit_code = 5

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        attempts: int = 0,
        usage: Usage | None = None,
        last_output: Any = None,
    ) -> None:
        super().__init__(message)
        self.source = source
        self.attempts = attempts
        self.usage = usage  # tokens spent on the failed attempts (None when nothing was counted)
        self.last_output = last_output


class RunawayCompletionError(ExtractionError):
    """The model kept generating until the ``max_tokens`` cap: degenerate or repetitive output."""


class GoldFormatError(SummarizerError):
    """One or more gold files break the gold format; ``problems`` lists each (file, record, field, what)."""

    exit_code = 2

    def __init__(self, problems: list[str]) -> None:
        head = problems[0] if problems else "invalid gold file"
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(head + more)
        self.problems = problems


class RegressionError(SummarizerError):
    """An eval score fell below its gate (``--fail-under`` / ``--baseline``); ``failed`` lists each."""

    exit_code = 7

    def __init__(self, failed: list[str]) -> None:
        super().__init__("below threshold: " + "; ".join(failed))
        self.failed = failed


class ReplayMissError(SummarizerError):
    """Replay asked for a response that no cassette holds (the prompt or the model changed)."""

    exit_code = 6
