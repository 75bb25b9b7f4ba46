"""A scripted OpenAI-compatible endpoint on 127.0.0.1, for producing model and server faults on demand.

In-process (:class:`FakeEndpoint`): each ``POST /v1/chat/completions`` takes the next step of a script (a valid
tool call, malformed JSON, a cut-off completion, an HTTP status with headers, a delay, a hang-up). As a process
(``python tests/fake_openai.py --port N --model_alias A [--deaths K --marker F] [--slow S] [--crash]
[--ignore-sigterm]``) it stands in for llama.cpp's server: it answers every request validly, after ``S`` seconds,
except that it kills itself in the middle of a request until it has died ``K`` times in all (the marker file
counts deaths across restarts); ``--crash`` exits at start, ``--ignore-sigterm`` ignores SIGTERM like llama.cpp
mid-computation. With a slot folder (``slot_dir`` / ``--slot_save_path``) it also plays llama.cpp's native routes
``/apply-template``, ``/completion`` and ``/slots/0?action=save|restore``, counting a token per word; a slot file it
did not write whole is refused with HTTP 400 (llama.cpp itself aborts on one).
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
SLOT_END = "\n<end of slot file>"  # the stand-in's slot files end so; a cut one does not
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


def _default_answer(h: Handler) -> dict[str, Any]:
    """A valid answer to the request being served: a tool call if it offered tools, else JSON content."""
    last = h.server.requests[-1]["body"] if h.server.requests else {}
    return completion() if "tools" in last else completion(content=json.dumps(VALID), finish="stop")


def reply(body: dict[str, Any] | None = None, status: int = 200, headers: dict[str, str] | None = None) -> Step:
    def step(h: Handler) -> None:
        data = json.dumps(body if body is not None else _default_answer(h)).encode()
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
            native = self.server.slot_dir is not None and not self.path.endswith("/chat/completions")
            step = self.server.steps.pop(0) if self.server.steps and not native else self.server.default
        if native:
            with self.server.lock:
                _native_route(self, body)
            return
        step(self)


def _native_route(h: Handler, body: dict[str, Any]) -> None:
    """llama.cpp's own routes, played on a text "slot" (one token per word)."""
    assert h.server.slot_dir is not None
    path, _, query = h.path.partition("?")
    if path == "/apply-template":
        turns = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in body["messages"])
        return reply({"prompt": turns + "<|im_start|>assistant\n"})(h)
    if path == "/completion":
        h.server.slot = body["prompt"]
        return reply({"content": "", "tokens_evaluated": len(h.server.slot.split())})(h)
    if path == "/slots/0" and query == "action=save":
        (h.server.slot_dir / body["filename"]).write_text(h.server.slot + SLOT_END, encoding="utf-8")
        return reply({"id_slot": 0, "n_saved": len(h.server.slot.split())})(h)
    if path == "/slots/0" and query == "action=restore":
        file = h.server.slot_dir / body["filename"]
        text = file.read_text(encoding="utf-8", errors="replace") if file.is_file() else ""
        if not text.endswith(SLOT_END):  # not written whole
            return error(400)(h)
        h.server.slot = text = text.removesuffix(SLOT_END)
        return reply({"id_slot": 0, "n_restored": len(text.split())})(h)
    return error(404)(h)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, steps: list[Step], default: Step, alias: str, slot_dir: Path | None = None) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.steps, self.default, self.alias = list(steps), default, alias
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.slot_dir = slot_dir
        self.slot = ""


class FakeEndpoint:
    """The endpoint in a background thread: ``with FakeEndpoint([...]) as fake: fake.url``."""

    def __init__(
        self,
        steps: list[Step] | None = None,
        default: Step | None = None,
        alias: str = "fake",
        slot_dir: Path | None = None,
    ) -> None:
        self.server = _Server(0, steps or [], default or reply(), alias, slot_dir)

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
    ap.add_argument("--slot_save_path", default="", help="play llama.cpp's native and slot routes in this folder")
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

    slots = Path(args.slot_save_path) if args.slot_save_path else None
    server = _Server(args.port, [], answer, args.model_alias, slots)
    print(f"fake server on port {args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
