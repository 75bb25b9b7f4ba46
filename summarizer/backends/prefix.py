"""Saved prompt prefixes: the embedded server's state after the fixed part of the prompt, kept across runs.

Every call of a pipeline starts with the same tokens (instructions, schema, worked example); llama.cpp reuses them
within one server, and this module makes a new process reuse them too, through the server's slot save/restore.

Rules:
- The prefix is the chat-templated prompt up to the first article-dependent character, as the server's own
  ``/apply-template`` renders it (so it is exactly what the real request starts with).
- A state is keyed by the SHA-256 of the model file's SHA-256, the server build, the context size and the exact
  prefix text: a changed prompt, model or server never reuses a stale state; it is a miss and the prefix is read.
- A state file is restored only when its SHA-256 equals the one in its manifest, written after the save finished;
  a truncated or altered file is a miss and is deleted (llama.cpp aborts on a truncated state, so such a file never
  reaches it). A restore the server refuses is a miss too.
- On a miss the prefix is read once and saved. The folder is bounded: at most :data:`MAX_STATES` states and
  :data:`MAX_BYTES` bytes, least recently used dropped first.
- States live in ``<cache folder>/prefixes`` beside the model file (:func:`prefix_dir`; the folder is
  ``Settings.cache_dir``, else the user cache).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..errors import BackendError
from ..prompts import SENTINEL as SENTINEL  # re-exported: where a prompt is cut to its prefix
from .modelfile import cache_dir, sha256_file

if TYPE_CHECKING:
    from ..config import Settings

MAX_STATES = 8
MAX_BYTES = 1 << 30
Outcome = Literal["restored", "saved", "unchanged"]


def prefix_dir(settings: Settings) -> Path:
    return cache_dir(settings) / "prefixes"


def server_build() -> str:
    """The installed llama.cpp server build (the xllamacpp version): slot files are not portable across builds."""
    try:
        return f"xllamacpp-{version('xllamacpp')}"
    except PackageNotFoundError:
        return "unknown"


def state_key(model_sha256: str, build: str, n_ctx: int, prefix: str) -> str:
    h = hashlib.sha256()
    for part in (model_sha256, build, str(n_ctx), prefix):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


@dataclass
class SavedPrefix:
    """One saved state: ``<key>.bin`` (the server's slot file) and ``<key>.json`` (this manifest)."""

    key: str
    prompt: str  # the prompt template name it belongs to
    tokens: int
    bytes: int
    sha256: str
    build: str
    created: float
    used: float

    def file(self, folder: Path) -> Path:
        return folder / f"{self.key}.bin"


def _manifest(folder: Path, key: str) -> Path:
    return folder / f"{key}.json"


def read_manifest(folder: Path, key: str) -> SavedPrefix | None:
    try:
        return SavedPrefix(**json.loads(_manifest(folder, key).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def list_saved(folder: Path) -> list[SavedPrefix]:
    """Saved states in ``folder`` (:func:`prefix_dir`) with a readable manifest, most recently used first."""
    found = [read_manifest(folder, p.stem) for p in folder.glob("*.json")] if folder.is_dir() else []
    return sorted((s for s in found if s is not None), key=lambda s: s.used, reverse=True)


def forget(folder: Path, key: str) -> None:
    for path in (folder / f"{key}.bin", _manifest(folder, key)):
        path.unlink(missing_ok=True)


def verified(folder: Path, key: str) -> SavedPrefix | None:
    """The state for ``key`` if its file is whole (size and SHA-256 as its manifest says); else forget it."""
    saved = read_manifest(folder, key)
    path = folder / f"{key}.bin"
    if saved is None or not path.is_file():
        forget(folder, key)
        return None
    if path.stat().st_size != saved.bytes or sha256_file(path) != saved.sha256:
        forget(folder, key)
        return None
    return saved


def evict(folder: Path, keep: str | None = None) -> list[str]:
    """Drop least recently used states beyond :data:`MAX_STATES` / :data:`MAX_BYTES` (never ``keep``); orphan
    files without a manifest go too. Returns the dropped keys."""
    dropped: list[str] = []
    saved = sorted(list_saved(folder), key=lambda s: s.key != keep)  # ``keep`` first, then most recently used
    known = {s.key for s in saved}
    for path in folder.glob("*.bin"):
        if path.stem not in known:
            path.unlink(missing_ok=True)
    total = 0
    for i, s in enumerate(saved):
        total += s.bytes
        if s.key != keep and (i >= MAX_STATES or total > MAX_BYTES):
            forget(folder, s.key)
            dropped.append(s.key)
            total -= s.bytes
    return dropped


class RefusedError(BackendError):
    """The server answered a prefix request with an HTTP error (it is still up)."""


class PrefixCache:
    """Save and restore slot 0 of one running embedded server (``root``: its URL without ``/v1``)."""

    def __init__(self, root: str, folder: Path, model_sha256: str, n_ctx: int, timeout: float = 600.0) -> None:
        self.root = root.removesuffix("/v1")
        self.folder = folder
        self.model_sha256 = model_sha256
        self.n_ctx = n_ctx
        self.timeout = timeout
        self.build = server_build()

    def _post(self, path: str, body: dict[str, object]) -> dict[str, object]:
        import httpx

        try:
            r = httpx.post(self.root + path, json=body, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise BackendError(f"embedded server: {path} failed: {exc}", base_url=self.root) from None
        if r.status_code != 200:
            raise RefusedError(f"embedded server: {path} answered HTTP {r.status_code}", base_url=self.root)
        data = r.json()
        return data if isinstance(data, dict) else {}

    def prefix_of(self, messages: list[dict[str, str]]) -> str:
        """The templated prompt of ``messages`` up to the first :data:`SENTINEL`."""
        prompt = str(self._post("/apply-template", {"messages": messages}).get("prompt", ""))
        cut = prompt.find(SENTINEL)
        return prompt[:cut] if cut >= 0 else ""

    def key(self, prefix: str) -> str:
        return state_key(self.model_sha256, self.build, self.n_ctx, prefix)

    def load(self, messages: list[dict[str, str]], prompt: str) -> Outcome:
        """Put the prefix of ``messages`` in the server's slot: restore a saved state (``restored``), or read the
        prefix and save it (``saved``); ``unchanged`` when there is no fixed prefix to keep."""
        prefix = self.prefix_of(messages)
        if not prefix:
            return "unchanged"
        key = self.key(prefix)
        self.folder.mkdir(parents=True, exist_ok=True)
        saved = verified(self.folder, key)
        if saved is not None:
            try:
                got = self._post("/slots/0?action=restore", {"filename": f"{key}.bin"})
            except RefusedError:
                got = {}  # the server would not load it: a miss
            except BackendError:
                forget(self.folder, key)  # it took the server down: never again (the caller restarts the server)
                raise
            if got.get("n_restored") == saved.tokens:
                saved.used = time.time()
                _manifest(self.folder, key).write_text(json.dumps(asdict(saved)), encoding="utf-8")
                return "restored"
            forget(self.folder, key)
        return self._save(prefix, key, prompt)

    def _save(self, prefix: str, key: str, prompt: str) -> Outcome:
        self._post("/completion", {"prompt": prefix, "n_predict": 0, "cache_prompt": True, "temperature": 0})
        got = self._post("/slots/0?action=save", {"filename": f"{key}.bin"})
        path = self.folder / f"{key}.bin"
        if not path.is_file():
            return "unchanged"
        now = time.time()
        saved = SavedPrefix(
            key=key,
            prompt=prompt,
            tokens=int(str(got.get("n_saved", 0))),
            bytes=path.stat().st_size,
            sha256=sha256_file(path),
            build=self.build,
            created=now,
            used=now,
        )
        tmp = _manifest(self.folder, key).with_suffix(".json.tmp")
        tmp.write_text(json.dumps(asdict(saved)), encoding="utf-8")
        tmp.replace(_manifest(self.folder, key))  # the manifest appears only once the state file is whole
        with contextlib.suppress(OSError):
            evict(self.folder, keep=key)
        return "saved"
