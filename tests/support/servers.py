"""Model server processes in tests, all of them ``tests/fake_openai.py`` standing in for llama.cpp's server: the
script of the ``fake_embedded`` fixture's stand-in, an :class:`EmbeddedServer` around it, and finding server
processes by their command line (the session check that none outlives the tests, and the signal tests, use it)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.backends.server import EmbeddedServer

from .paths import FAKE_SERVER

SERVER_MARKERS = ("summarizer.backends.native", "fake_openai.py")  # in the command line of a model server


@dataclass
class FakeEmbedded:
    """The stand-in's script: how many times in all it dies mid-request; the servers started, in order."""

    deaths: int = 0
    started: list[EmbeddedServer] = field(default_factory=list)


class FakeServer(EmbeddedServer):
    """The lifecycle of :class:`EmbeddedServer` around the stand-in server, which ignores SIGTERM as llama.cpp
    does mid-computation (``crash``: it exits at start instead)."""

    def __init__(self, mode: str = "ok") -> None:
        super().__init__(Path("unused.gguf"), alias="fake", start_timeout=20)
        self.mode = mode

    def command(self) -> list[str]:
        flags = ["--crash"] if self.mode == "crash" else ["--ignore-sigterm"]
        return [sys.executable, str(FAKE_SERVER), "--port", str(self.port), "--model_alias", self.alias, *flags]


def processes_with(*markers: str) -> dict[int, str]:
    """Live (non-zombie) processes whose command line holds one of ``markers``: pid → command line."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and any(m in cmd for m in markers):
            found[int(proc.name)] = cmd
    return found
