"""Server lifecycle with a stand-in process (a tiny HTTP server), so no model is needed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from summarizer.backends import server as server_mod
from summarizer.backends.server import EmbeddedServer
from summarizer.errors import BackendError

from ..fake_openai import FakeEndpoint
from ..support.servers import FakeServer


@pytest.fixture(autouse=True)
def pretend_llama_cpp_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_mod, "server_available", lambda: True)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split()[2] != "Z"


def test_started_server_answers_and_is_gone_after_the_block() -> None:
    with FakeServer() as s:
        assert s.proc is not None
        pid = s.proc.pid
        assert s.base_url.startswith("http://127.0.0.1:")
        assert alive(pid)
    assert not alive(pid)


def test_no_orphan_after_an_error_inside_the_block() -> None:
    with pytest.raises(RuntimeError), FakeServer() as s:
        assert s.proc is not None
        pid = s.proc.pid
        raise RuntimeError("boom")
    assert not alive(pid)


def test_no_orphan_after_ctrl_c_inside_the_block() -> None:
    with pytest.raises(KeyboardInterrupt), FakeServer() as s:
        assert s.proc is not None
        pid = s.proc.pid
        raise KeyboardInterrupt
    assert not alive(pid)


def test_a_server_that_dies_at_start_is_a_clear_error_with_its_log() -> None:
    with pytest.raises(BackendError, match="embedded server exited with code 3 while starting") as info:
        FakeServer("crash").start()
    assert "cannot load model" in (info.value.log_tail or "")


def test_server_dies_with_its_parent_even_on_sigkill(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).parents[2])!r})
        from summarizer.backends import server as m
        m.server_available = lambda: True
        from tests.support.servers import FakeServer
        s = FakeServer(); s.start(); print(s.proc.pid, s._log.name, flush=True); time.sleep(60)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    pid, log = parent.stdout.readline().split()
    child = int(pid)
    assert alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    Path(log).unlink(missing_ok=True)  # the killed parent could not clean up its own log file
    assert not alive(child)


def test_the_server_listens_on_loopback_only() -> None:
    with FakeServer() as s:
        assert s.proc is not None
        assert server_mod.listening_sockets(s.proc.pid) == [("127.0.0.1", s.port)]
    real = EmbeddedServer.command(s)  # what the real llama.cpp server is started with
    assert real[real.index("--host") + 1] == "127.0.0.1"


def test_a_port_taken_before_the_server_binds_it_is_retried_and_the_occupant_is_not_mistaken_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with FakeEndpoint(alias="fake") as occupant:  # another program, answering with our alias
        taken = occupant.port
        ports = [taken, server_mod.free_port()]
        monkeypatch.setattr(server_mod, "free_port", lambda: ports.pop(0))
        with FakeServer() as s:
            assert s.port != taken and s.proc is not None
            assert server_mod.listening_sockets(s.proc.pid) == [("127.0.0.1", s.port)]


def test_a_port_taken_every_time_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeEndpoint(alias="fake") as occupant:
        monkeypatch.setattr(server_mod, "free_port", lambda: occupant.port)
        with pytest.raises(BackendError, match="embedded server could not get a free port in 3 tries"):
            FakeServer().start()
