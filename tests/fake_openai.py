"""A scripted OpenAI-compatible endpoint on 127.0.0.1, for producing model and server faults on demand.

In-process (:class:`FakeEndpoint`): each ``POST /v1/chat/completions`` takes the next step of a script (a valid
tool call, malformed JSON, a cut-off completion, an HTTP status with headers, a delay, a hang-up). As a process
(``python tests/fake_openai.py --port N --model_alias A [--deaths K --marker F] [--slow S] [--crash]
[--ignore-sigterm]``) it stands in for llama.cpp's server: it answers every request validly, after ``S`` seconds,
except that it kills itself in the middle of a request until it has died ``K`` times in all (the marker file
counts deaths across restarts); ``--crash`` exits at start, ``--ignore-sigterm`` ignores SIGTERM like llama.cpp
mid-computation.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

VALID = {
    "summary": "Pompeo will travel to Pyongyang.",
    "trips": [{"sentences": [1], "traveler": "Mike Pompeo", "destinations": ["Pyongyang"], "status": "planned"}],
    "summits": [],
    "commitments": [],
    "skepticism": [],
}
USAGE = (100, 20)  # prompt and completion tokens each answer reports

Step = Callable[["Handler"], None]


def completion(arguments: str | dict[str, Any] = VALID, *, finish: str = "tool_calls", content: str | None = None,
               name: str = "CitedExtraction", usage: tuple[int, int] = USAGE) -> dict[str, Any]:  # fmt: skip
    """A chat completion whose message is one tool call with ``arguments`` (or only ``content`` when given)."""
    args = arguments if isinstance(arguments, str) else json.dumps(arguments)
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if content is None:
        message["tool_calls"] = [{"id": "call_0", "type": "function", "function": {"name": name, "arguments": args}}]
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": "fake",
        "choices": [{"index": 0, "finish_reason": finish, "message": message}],
        "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)},
    }


def reply(body: dict[str, Any] | None = None, status: int = 200, headers: dict[str, str] | None = None) -> Step:
    def step(h: Handler) -> None:
        data = json.dumps(body if body is not None else completion()).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    return step


def error(status: int, headers: dict[str, str] | None = None) -> Step:
    return reply({"error": {"message": f"fake error {status}", "type": "server_error"}}, status, headers)


def delay(seconds: float, then: Step | None = None) -> Step:
    def step(h: Handler) -> None:
        time.sleep(seconds)
        (then or reply())(h)

    return step


def hang_up(h: Handler) -> None:
    h.close_connection = True
    h.connection.shutdown(2)


class Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        reply({"object": "list", "data": [{"id": self.server.alias, "object": "model"}]})(self)

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        with self.server.lock:
            self.server.requests.append({"path": self.path, "body": body, "at": time.monotonic()})
            step = self.server.steps.pop(0) if self.server.steps else self.server.default
        step(self)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, steps: list[Step], default: Step, alias: str) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.steps, self.default, self.alias = list(steps), default, alias
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()


class FakeEndpoint:
    """The endpoint in a background thread: ``with FakeEndpoint([...]) as fake: fake.url``."""

    def __init__(self, steps: list[Step] | None = None, default: Step | None = None, alias: str = "fake") -> None:
        self.server = _Server(0, steps or [], default or reply(), alias)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def requests(self) -> list[dict[str, Any]]:
        return self.server.requests

    def __enter__(self) -> FakeEndpoint:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _die(h: Handler) -> None:
    print("fake server: dying mid-request", flush=True)
    os._exit(9)


def main() -> None:  # pragma: no cover - runs as the stand-in server process
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--model_alias", default="fake")
    ap.add_argument("--deaths", type=int, default=0, help="die mid-request this many times in all (see --marker)")
    ap.add_argument("--marker", default="", help="file counting the deaths so far, across restarts")
    ap.add_argument("--slow", type=float, default=0.0, help="seconds before each answer")
    ap.add_argument("--crash", action="store_true", help="exit with code 3 at start, as if the model failed to load")
    ap.add_argument("--ignore-sigterm", action="store_true", help="as llama.cpp does while it computes")
    args, _ = ap.parse_known_args()
    if args.crash:
        print("fake server: cannot load model", flush=True)
        sys.exit(3)
    if args.ignore_sigterm:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    marker = Path(args.marker) if args.marker else None

    def answer(h: Handler) -> None:
        died = len(marker.read_text()) if marker and marker.exists() else 0
        if died < args.deaths and marker:
            marker.write_text("x" * (died + 1))
            _die(h)
        delay(args.slow)(h)

    server = _Server(args.port, [], answer, args.model_alias)
    print(f"fake server on port {args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
