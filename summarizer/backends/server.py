"""The embedded llama.cpp server: start on 127.0.0.1 at a free port, wait until it answers, always stop.

The server is llama.cpp's own C++ server from the xllamacpp wheel (prebuilt, nothing compiled), run in a child
process by :mod:`summarizer.backends.native`; ``slot_dir`` is where it may save and restore its slot state
(see :mod:`summarizer.backends.prefix`).

Lifecycle rules: the server runs in its own process group with Linux's parent-death signal set, so it dies
with the tool even on SIGKILL; :meth:`EmbeddedServer.stop` sends SIGTERM, waits briefly, then SIGKILLs
the group (llama.cpp does not stop on SIGTERM while it computes). It is stopped on normal exit, on errors and
on Ctrl-C (the ``with`` block) and, as a last resort, by an ``atexit`` hook.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import importlib.util
import ipaddress
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
PORT_ATTEMPTS = 3


def _port_taken(port: int) -> bool:
    """Whether some process now listens on ``127.0.0.1:port`` (so our server could not bind it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def listening_sockets(pid: int) -> list[tuple[str, int]] | None:
    """The TCP (IPv4 and IPv6) addresses process ``pid`` listens on, from ``/proc`` (none once it has exited);
    None where there is no /proc."""
    if not Path("/proc/self/fd").is_dir():
        return None
    try:
        inodes = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
    except OSError:  # the process is gone (or a zombie): it listens on nothing
        return []
    found: list[tuple[str, int]] = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if cols[3] != "0A" or f"socket:[{cols[9]}]" not in inodes:  # 0A: LISTEN
                continue
            hex_ip, hex_port = cols[1].split(":")
            raw = bytes.fromhex(hex_ip)
            # /proc prints each 32-bit word of the address in host (little-endian) order
            ip = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            found.append((str(ipaddress.ip_address(ip)), int(hex_port, 16)))
    return found


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    os.setsid()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def server_available() -> bool:
    return importlib.util.find_spec("xllamacpp") is not None


def require_server() -> None:
    if not server_available():
        raise ConfigError(
            "the embedded model needs llama.cpp's server from xllamacpp: pip install 'summarizer[local]' "
            "(or set OPENAI_BASE_URL / --base-url to use an endpoint)"
        )


class EmbeddedServer:
    """llama.cpp's OpenAI-compatible server for one GGUF file, in a child process."""

    def __init__(
        self,
        model_path: Path,
        *,
        alias: str,
        n_ctx: int = 8192,
        n_threads: int | None = None,
        start_timeout: float = 180.0,
        slot_dir: Path | None = None,
    ) -> None:
        self.model_path = model_path
        self.alias = alias
        self.n_ctx = n_ctx
        self.n_threads = n_threads or max(1, os.cpu_count() or 1)
        self.start_timeout = start_timeout
        self.slot_dir = slot_dir
        self.port: int | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def command(self) -> list[str]:
        cmd = [
            sys.executable,
            "-m",
            "summarizer.backends.native",
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
        ]
        if self.slot_dir is not None:
            cmd += ["--slot_save_path", str(self.slot_dir)]
        return cmd

    def log_tail(self, lines: int = 8) -> str:
        if self._log is None:
            return ""
        try:
            text = Path(self._log.name).read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.strip().splitlines()[-lines:])

    def start(self) -> str:
        """Start on a free loopback port; if another process takes the port first, try another (3 tries)."""
        require_server()
        for _ in range(PORT_ATTEMPTS):
            self._spawn()
            try:
                self._wait_ready()
                return self.base_url
            except BaseException as exc:
                taken = isinstance(exc, BackendError) and self.port is not None and _port_taken(self.port)
                self.stop()
                if not taken:
                    raise
        raise BackendError(
            f"embedded server could not get a free port in {PORT_ATTEMPTS} tries", base_url=self.base_url
        )

    def _spawn(self) -> None:
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

    def _ready(self) -> bool:
        """Our process answers on our port: ``/models`` lists our alias, and (where /proc tells) the listening
        socket is our process's own, not another program's that happened to take the port."""
        import httpx

        assert self.proc is not None and self.port is not None
        try:
            r = httpx.get(self.base_url + "/models", timeout=2.0)
            ids = [m.get("id") for m in r.json().get("data", [])] if r.status_code == 200 else []
        except (httpx.HTTPError, ValueError, AttributeError):
            return False
        if self.alias not in ids or self.proc.poll() is not None:
            return False
        sockets = listening_sockets(self.proc.pid)
        return sockets is None or any(port == self.port for _, port in sockets)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        assert self.proc is not None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BackendError(
                    f"embedded server exited with code {self.proc.returncode} while starting",
                    base_url=self.base_url,
                    log_tail=self.log_tail(),
                )
            if self._ready():
                return
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
