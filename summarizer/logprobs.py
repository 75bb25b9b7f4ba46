"""Token log-probabilities for pipelines, whatever the backend: one call, one result type, one error.

:func:`token_logprobs` asks the connection's model for a short completion with ``logprobs`` and
``top_logprobs`` (the OpenAI form, which llama.cpp's server and OpenAI both answer) and returns every generated
token with its log-probability and its best alternatives. A pipeline scores a candidate with them instead of
trusting a small model's greedy answer: ``reply.probability("yes", "no")`` is P(yes) normalised over the two,
read off the first token. ``schema`` constrains the answer as structured calls are constrained (on the embedded
server, as a grammar). An endpoint that returns no log-probabilities is a :class:`LogprobsUnavailableError`;
transport and HTTP failures are the same :class:`~summarizer.errors.BackendError` as a structured call's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .backends import Connection
from .calls import _backend_error
from .config import Settings
from .errors import LogprobsUnavailableError
from .schemas import Usage


@dataclass(frozen=True)
class TokenLogprob:
    """One generated token, its natural-log probability, and the best alternatives at its position."""

    token: str
    logprob: float
    top: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_json(cls, entry: Mapping[str, Any]) -> TokenLogprob:
        """One entry of a raw chat completion's ``choices[0].logprobs.content`` (the OpenAI JSON form, as
        llama.cpp's server and a recorded cassette give it)."""
        top = {a["token"]: float(a["logprob"]) for a in entry.get("top_logprobs") or []}
        return cls(entry["token"], float(entry["logprob"]), top)


@dataclass(frozen=True)
class LogprobReply:
    text: str
    tokens: list[TokenLogprob]
    usage: Usage

    def probability(self, option: str, *others: str) -> float:
        """P(``option``) at the first token, normalised over ``option`` and ``others`` (compared stripped and case
        folded; an option absent from the alternatives counts as probability 0)."""
        if not self.tokens:
            return 0.0
        return distribution(self.tokens[0], [option, *others])[option]

    def choices(self, options: list[str]) -> list[dict[str, float]]:
        """For every generated token that is one of ``options`` (stripped), in order: each option's probability
        at that token, normalised over ``options``. An answer of several one-token choices (a letter per line,
        the rest of each line forced by a grammar) is read this way, one distribution per choice."""
        keys = {o.strip().casefold() for o in options}
        return [distribution(t, options) for t in self.tokens if t.token.strip().casefold() in keys]


def distribution(at: TokenLogprob, options: list[str]) -> dict[str, float]:
    """Each option's probability at one token, normalised over ``options`` (compared stripped and case folded; an
    option absent from the alternatives counts as probability 0; all 0 when none is present)."""
    pool = {at.token: at.logprob, **at.top}
    mass = dict.fromkeys(options, 0.0)
    for tok, lp in pool.items():
        key = tok.strip().casefold()
        for o in mass:
            if key == o.strip().casefold():
                mass[o] += math.exp(lp)
    total = sum(mass.values())
    return {o: m / total if total > 0 else 0.0 for o, m in mass.items()}


def token_logprobs(
    conn: Connection,
    messages: list[dict[str, str]],
    settings: Settings,
    *,
    source: str,
    max_tokens: int = 1,
    top: int = 5,
    schema: dict[str, Any] | None = None,
    grammar: str | None = None,
) -> LogprobReply:
    """One completion of at most ``max_tokens`` tokens with each token's log-probability and ``top`` alternatives."""
    raw = conn.client.client  # the OpenAI client under instructor
    assert raw is not None
    extra: dict[str, Any] = {}
    if schema is not None:
        extra["response_format"] = {"type": "json_schema", "json_schema": {"name": "Answer", "schema": schema}}
    if grammar is not None:  # llama.cpp's own field: a GBNF or ``%llguidance`` grammar
        extra["extra_body"] = {"grammar": grammar}
    try:
        completion = raw.chat.completions.create(
            model=conn.model,
            messages=messages,
            max_tokens=max_tokens,
            temperature=settings.temperature,
            seed=settings.seed,
            logprobs=True,
            top_logprobs=top,
            **extra,
        )
    except Exception as exc:
        backend = _backend_error(exc, conn, source)
        if backend is not None:
            raise backend from None
        raise
    choice = completion.choices[0]
    content = getattr(choice.logprobs, "content", None) if choice.logprobs is not None else None
    if not content:
        raise LogprobsUnavailableError(source, conn.base_url)
    tokens = [TokenLogprob.from_json(t.model_dump()) for t in content]  # one reading, live or recorded
    used = completion.usage
    usage = Usage(
        prompt_tokens=int(getattr(used, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(used, "completion_tokens", 0) or 0),
        calls=1,
    )
    return LogprobReply(choice.message.content or "", tokens, usage)
