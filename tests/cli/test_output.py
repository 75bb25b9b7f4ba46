"""The output writer: what cannot be written is an :class:`OutputError` (exit 2) that keeps what was written."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.cli.output import OutputWriter
from summarizer.errors import OutputError


def test_an_output_that_is_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as info:
        OutputWriter(tmp_path)
    assert (str(info.value), info.value.target, info.value.exit_code) == (
        f"{tmp_path}: --output is a directory",
        str(tmp_path),
        2,
    )


def test_a_failed_final_move_keeps_the_results_and_says_where(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.jsonl"
    writer = OutputWriter(out)
    writer.write('{"a": 1}\n')

    def refuse(self: Path, target: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(OutputError) as info:
        writer.close()
    tmp = tmp_path / ".out.jsonl.tmp"
    assert str(info.value) == f"{out}: cannot write output (No space left on device); the results are in {tmp}"
    assert tmp.read_text() == '{"a": 1}\n' and not out.exists()
