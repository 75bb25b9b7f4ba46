import hashlib
from pathlib import Path

import pytest

from summarizer.backends.modelfile import ModelSpec, verify
from summarizer.errors import ModelFileError


def _spec(data: bytes) -> ModelSpec:
    return ModelSpec(
        name="tiny",
        filename="tiny.gguf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        hf_repo="x/y",
        pypi_parts=("p1",),
        pypi_version="0",
    )


def test_a_file_with_the_right_hash_is_accepted_and_stamped(tmp_path: Path) -> None:
    f = tmp_path / "tiny.gguf"
    f.write_bytes(b"GGUF good model bytes")
    assert verify(f, _spec(b"GGUF good model bytes")) == f
    assert (tmp_path / "tiny.gguf.sha256").is_file()


def test_a_corrupt_file_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "tiny.gguf"
    f.write_bytes(b"GGUF bad! model bytes")
    with pytest.raises(ModelFileError, match="fails its SHA-256 check") as info:
        verify(f, _spec(b"GGUF good model bytes"))
    assert info.value.path == str(f)


def test_a_file_of_the_wrong_size_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "tiny.gguf"
    f.write_bytes(b"short")
    with pytest.raises(ModelFileError, match="has 5 bytes, expected 21 bytes: refusing an unverified file"):
        verify(f, _spec(b"GGUF good model bytes"))


def test_a_stamp_does_not_survive_a_change_to_the_file(tmp_path: Path) -> None:
    good = b"GGUF good model bytes"
    f = tmp_path / "tiny.gguf"
    f.write_bytes(good)
    verify(f, _spec(good))
    f.write_bytes(b"GGUF bad! model bytes")  # same size, new mtime
    with pytest.raises(ModelFileError):
        verify(f, _spec(good))


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="model file not found"):
        verify(tmp_path / "nope.gguf", _spec(b"x"))
