"""Opening the embedded backend on a user's own model file (``--model-path``), with the stand-in server process in
place of llama.cpp: the file is accepted as given, and its name and hash reach the output and the prefix key."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from summarizer import Settings, Summarizer
from summarizer.articles import Article
from summarizer.backends import modelfile
from summarizer.schemas import ModelFileRef

from ..support.servers import FakeEmbedded

REAL_RESOLVE = modelfile.resolve  # the fixture replaces it; this test wants the real resolution of an own file


def test_a_users_own_model_runs_and_is_named_in_the_output(
    fake_embedded: FakeEmbedded, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(modelfile, "resolve", REAL_RESOLVE)
    data = b"GGUF stand-in for a 7B model of the user's own"
    own = tmp_path / "my-7b-q4.gguf"
    own.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    with Summarizer(Settings(model_path=own)) as s:
        summary = s.summarize_article(Article("a.txt", "Pompeo will travel to Pyongyang next month."))
        prefixes = s._connection().prefixes
    assert fake_embedded.started[0].model_path == own
    assert summary.meta is not None and summary.meta.model == "my-7b-q4"
    assert summary.meta.model_file == ModelFileRef(name="my-7b-q4", sha256=digest, verified=False)
    assert prefixes is not None and prefixes.model_sha256 == digest  # a prefix saved for another model never loads


def test_the_default_model_is_named_verified(fake_embedded: FakeEmbedded) -> None:
    with Summarizer(Settings()) as s:
        summary = s.summarize_article(Article("a.txt", "Pompeo will travel to Pyongyang next month."))
    assert summary.meta is not None and summary.meta.model == modelfile.DEFAULT_MODEL.name
    assert summary.meta.model_file == ModelFileRef(
        name="model", sha256=modelfile.DEFAULT_MODEL.sha256, verified=True
    )  # the fixture's stand-in path for the verified download
