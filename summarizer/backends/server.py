"""The embedded llama.cpp server: start on 127.0.0.1 at a free port, wait until it answers, always stop.

Lifecycle rules: the server runs in its own process group with Linux's parent-death signal set, so it dies
with the tool even on SIGKILL; :meth:`EmbeddedServer.stop` sends SIGTERM, waits briefly, then SIGKILLs
the group (llama.cpp does not stop on SIGTERM while it computes). It is stopped on normal exit, on errors and
on Ctrl-C (the ``with`` block) and, as a last resort, by an ``atexit`` hook.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO

from ..errors import BackendError, ConfigError

_LIVE: set[EmbeddedServer] = set()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    os.setsid()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def server_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("llama_cpp") is not None


def require_server() -> None:
    if not server_available():
        raise ConfigError(
            "the embedded model needs llama-cpp-python's server: pip install 'summarizer[local]' "
            "(or set OPENAI_BASE_URL / --base-url to use an endpoint)"
        )


class EmbeddedServer:
    """llama-cpp-python's OpenAI-compatible server for one GGUF file."""

    def __init__(
        self,
        model_path: Path,
        *,
        alias: str,
        n_ctx: int = 8192,
        n_threads: int | None = None,
        start_timeout: float = 180.0,
    ) -> None:
        self.model_path = model_path
        self.alias = alias
        self.n_ctx = n_ctx
        self.n_threads = n_threads or max(1, os.cpu_count() or 1)
        self.start_timeout = start_timeout
        self.port: int | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(self.model_path),
            "--model_alias",
            self.alias,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--n_ctx",
            str(self.n_ctx),
            "--n_threads",
            str(self.n_threads),
            "--n_threads_batch",
            str(self.n_threads),
        ]

    def log_tail(self, lines: int = 8) -> str:
        if self._log is None:
            return ""
        try:
            text = Path(self._log.name).read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.strip().splitlines()[-lines:])

    def start(self) -> str:
        require_server()
        self.port = free_port()
        self._log = tempfile.NamedTemporaryFile(prefix="summarizer-server-", suffix=".log", delete=False)  # noqa: SIM115
        self.proc = subprocess.Popen(
            self.command(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        _LIVE.add(self)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self.base_url

    def _wait_ready(self) -> None:
        import httpx

        deadline = time.monotonic() + self.start_timeout
        assert self.proc is not None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BackendError(
                    f"embedded server exited with code {self.proc.returncode} while starting",
                    base_url=self.base_url,
                    log_tail=self.log_tail(),
                )
            try:
                if httpx.get(self.base_url + "/models", timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise BackendError(
            f"embedded server did not answer within {self.start_timeout:.0f} s",
            base_url=self.base_url,
            log_tail=self.log_tail(),
        )

    def stop(self, grace: float = 3.0) -> None:
        proc, self.proc = self.proc, None
        _LIVE.discard(self)
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            except ProcessLookupError:
                pass
        log, self._log = self._log, None
        if log is not None:
            log.close()
            Path(log.name).unlink(missing_ok=True)

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


@atexit.register
def _stop_all() -> None:
    for server in list(_LIVE):
        server.stop(grace=1.0)
