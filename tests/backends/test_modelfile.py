import hashlib
from pathlib import Path

import pytest

from summarizer.backends.modelfile import DEFAULT_MODEL, ModelSpec, resolve, verify
from summarizer.config import Settings
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


def test_a_users_own_gguf_of_any_size_is_accepted_and_its_hash_recorded(tmp_path: Path) -> None:
    data = b"GGUF a bigger model than the default"
    f = tmp_path / "my-7b.gguf"
    f.write_bytes(data)
    model = resolve(Settings(model_path=f))
    assert (model.path, model.sha256, model.verified, model.name) == (
        f,
        hashlib.sha256(data).hexdigest(),
        False,
        "my-7b",
    )
    assert (tmp_path / "my-7b.gguf.sha256").read_text().split()[0] == model.sha256  # hashed once


def test_a_users_own_file_is_checked_against_the_hash_given(tmp_path: Path) -> None:
    data = b"GGUF my model"
    f = tmp_path / "mine.gguf"
    f.write_bytes(data)
    assert resolve(Settings(model_path=f, model_sha256=hashlib.sha256(data).hexdigest().upper())).verified
    with pytest.raises(ModelFileError) as info:
        resolve(Settings(model_path=f, model_sha256="ab" * 32))
    assert str(info.value) == (
        f"model file {f} fails its SHA-256 check ({model_hash(data)[:12]}…, expected abababababab… from "
        "--model-sha256): refusing it"
    )
    assert info.value.exit_code == 3


def test_a_file_that_is_not_gguf_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "notes.txt"
    f.write_text("not a model")
    with pytest.raises(ModelFileError) as info:
        resolve(Settings(model_path=f))
    assert str(info.value) == f"model file {f} is not a GGUF file (llama.cpp's model format)"
    with pytest.raises(ModelFileError, match="model file not found"):
        resolve(Settings(model_path=tmp_path / "nope.gguf"))


def test_a_hash_without_a_path_must_be_the_default_models(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError) as info:
        resolve(Settings(model_sha256="ab" * 32))
    expected = f"--model-sha256 is for --model-path; the default model's SHA-256 is {DEFAULT_MODEL.sha256}"
    assert str(info.value) == expected


def model_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
