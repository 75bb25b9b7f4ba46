"""An in-process stand-in for instructor's client: no HTTP, answers scripted as validated objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from summarizer.backends import BACKENDS, Connection


@dataclass
class FakeCompletions:
    """``create_with_completion`` returns ``result`` (or raises ``error``), 7 prompt and 3 completion tokens a
    call; each call's keyword arguments are appended to ``seen`` when it is a list."""

    result: Any = None
    error: Exception | None = None
    seen: list[dict[str, Any]] | None = None

    def create_with_completion(self, **kwargs: Any) -> Any:
        if self.seen is not None:
            self.seen.append(kwargs)
        if self.error:
            raise self.error
        return self.result, type("C", (), {"usage": type("U", (), {"prompt_tokens": 7, "completion_tokens": 3})()})()


class FakeClient:
    def __init__(self, completions: FakeCompletions) -> None:
        self.chat = type("Chat", (), {"completions": completions})()

    def on(self, *_: Any) -> None:
        pass

    def off(self, *_: Any) -> None:
        pass


def conn(completions: FakeCompletions, n_ctx: int | None = 8192) -> Connection:
    """A connection to the embedded backend whose client is ``completions``."""
    return Connection(FakeClient(completions), "m", BACKENDS["embedded"], "http://127.0.0.1:9/v1", n_ctx)  # type: ignore[arg-type]
