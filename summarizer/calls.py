"""One structured model call: bounded retries, usage over every attempt, and every failure as a project error.

Retry rule: the openai client retries transport errors, timeouts, 408/409/429 and 5xx (``http_retries`` of the
backend table, with backoff, honouring Retry-After); instructor re-asks ``max_retries`` times, sending the
validation error back, after output that is not valid JSON or breaks the schema — but never after output cut
off at ``max_tokens`` (``finish_reason`` "length", or as many completion tokens as the cap, since llama.cpp
reports a cut-off tool call as "tool_calls"): the same cap would cut it again. Such output is a
:class:`~summarizer.errors.RunawayCompletionError`. Errors name the article, count attempts
and usage, and keep the model's last raw output; key-shaped text an endpoint echoes back is masked.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from tenacity import Retrying, retry_if_exception, stop_after_attempt

from .backends import Connection
from .config import Settings
from .errors import BackendError, ExtractionError, RunawayCompletionError, first_error, redact
from .schemas import Usage

M = TypeVar("M", bound=BaseModel)


def _raw_output(completion: Any) -> str | None:
    try:
        msg = completion.choices[0].message
        if msg.tool_calls:
            return str(msg.tool_calls[0].function.arguments)
        return str(msg.content)
    except (AttributeError, IndexError, TypeError):
        return None


def _cause_line(exc: BaseException) -> str:
    """One line saying what was wrong with the output: the first validation error's field and message."""
    if isinstance(exc, ValidationError):
        return first_error(exc)
    return (str(exc).splitlines() or [""])[0][:300]


def _error_text(err: Any) -> str:
    """The endpoint's own error message (OpenAI's ``{"error": {"message": ...}}``), else the client's; anything
    shaped like a key (``sk-…``, ``Bearer …``) is masked, as some endpoints echo the key they were sent."""
    body = getattr(err, "body", None)
    text = body["message"] if isinstance(body, dict) and isinstance(body.get("message"), str) else None
    return redact(str(text or getattr(err, "message", err)))


def _backend_error(exc: BaseException, conn: Connection, source: str) -> BackendError | None:
    """The openai transport/status error behind ``exc`` (instructor wraps them), as a BackendError; the openai
    client has already retried the retryable ones ``http_retries`` times, so they report 1 + that many attempts."""
    import openai

    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, openai.OpenAIError):
        cause = cause.__cause__ or cause.__context__
    tries = conn.backend.http_retries + 1
    url = conn.base_url
    if isinstance(cause, openai.APITimeoutError):
        return BackendError(
            f"{source}: the model endpoint at {url} timed out ({tries} attempt(s))",
            base_url=url, source=source, attempts=tries,
        )  # fmt: skip
    if isinstance(cause, openai.APIConnectionError):
        return BackendError(
            f"{source}: cannot reach the model endpoint at {url} ({tries} attempt(s))",
            base_url=url, source=source, attempts=tries, unreachable=True,
        )  # fmt: skip
    if isinstance(cause, openai.APIStatusError):
        code = cause.status_code
        tries = tries if code in (408, 409, 429) or code >= 500 else 1
        return BackendError(
            f"{source}: the model endpoint answered HTTP {code} ({tries} attempt(s)): {_error_text(cause)[:200]}",
            base_url=url, source=source, attempts=tries,
        )  # fmt: skip
    return None


def _total(responses: list[Any], totals: list[Any], fallback: Any) -> Usage:
    """Usage over every attempt: instructor's running total (``completion:usage`` hook), else the last response's;
    calls counts the distinct raw responses (``completion:response`` hook)."""
    calls = len({id(r) for r in responses}) or (1 if fallback is not None else 0)
    source = totals[-1] if totals else getattr(fallback, "usage", None)
    return Usage(
        prompt_tokens=int(getattr(source, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(source, "completion_tokens", 0) or 0),
        calls=calls,
    )


def call_model(
    conn: Connection, messages: list[dict[str, str]], settings: Settings, source: str, response_model: type[M]
) -> tuple[M, Usage]:
    """One structured call under the retry rule of the module docstring; every failure becomes a
    :class:`SummarizerError`, and usage counts every attempt, whether the call succeeds or not."""
    from instructor.core import IncompleteOutputException, InstructorRetryException

    def cut_off(response: Any) -> bool:
        choices = getattr(response, "choices", None) or [None]
        used = getattr(getattr(response, "usage", None), "completion_tokens", 0) or 0
        return getattr(choices[0], "finish_reason", None) == "length" or used >= settings.max_tokens

    def worth_reasking(exc: BaseException) -> bool:
        return isinstance(exc, ValidationError | ValueError) and not (responses and cut_off(responses[-1]))

    retrying = Retrying(
        stop=stop_after_attempt(settings.max_retries + 1), retry=retry_if_exception(worth_reasking), reraise=True
    )

    parse_errors: list[Exception] = []
    responses: list[Any] = []
    totals: list[Any] = []
    hooks = {
        "parse:error": parse_errors.append,
        "completion:response": responses.append,
        "completion:usage": totals.append,
    }
    for event, handler in hooks.items():
        conn.client.on(event, handler)  # type: ignore[arg-type]
    try:
        result, completion = conn.client.chat.completions.create_with_completion(
            model=conn.model,
            messages=messages,  # type: ignore[arg-type]
            response_model=response_model,
            max_retries=retrying,
            max_tokens=settings.max_tokens,
            temperature=settings.temperature,
            seed=settings.seed,
        )
    except (IncompleteOutputException, InstructorRetryException) as exc:
        backend = _backend_error(exc, conn, source)
        if backend is not None:
            raise backend from None
        last = getattr(exc, "last_completion", None) or (responses[-1] if responses else None)
        total = _total(responses, totals, last)
        attempts = max(int(getattr(exc, "n_attempts", 1) or 1), total.calls)
        runaway = isinstance(exc, IncompleteOutputException) or cut_off(last)
        error_cls = RunawayCompletionError if runaway else ExtractionError
        message = (
            f"the model's output hit the {settings.max_tokens}-token cap without finishing ({attempts} attempt(s)); "
            "raise --max-tokens or use a stronger model"
            if runaway
            else f"the model gave no valid records after {attempts} attempt(s): "
            + _cause_line(parse_errors[-1] if parse_errors else exc)
        )
        raise error_cls(
            f"{source}: {message}", source=source, attempts=attempts, usage=total, last_output=_raw_output(last)
        ) from None
    except Exception as exc:
        backend = _backend_error(exc, conn, source)
        if backend is not None:
            raise backend from None
        raise
    finally:
        for event, handler in hooks.items():
            conn.client.off(event, handler)  # type: ignore[arg-type]
    usage = _total(responses, totals, completion)
    usage.retries = len(parse_errors)
    return result, usage
