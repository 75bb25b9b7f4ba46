"""Where ``summarize`` writes its results: each one as soon as it is done, so a run that stops keeps what it finished.

Rules: to stdout, every result is written and flushed at once; to ``--output``, into a hidden temporary file beside
it that replaces the target when the writer closes (after success, an error or Ctrl-C alike), so a killed process
leaves its finished results in that temporary file. Nothing is created if nothing was written. A JSON array of
several results is closed when the stream ends, even after an error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

from ..errors import OutputError
from ..htmlview import render_html
from ..render import render
from ..schemas import ArticleSummary


class OutputWriter:
    """Text written as it is produced (see the module docstring)."""

    def __init__(self, output: Path | None) -> None:
        if output is not None and output.is_dir():
            raise OutputError(str(output), "--output is a directory")
        self.output = output
        self.tmp = None if output is None else output.with_name(f".{output.name}.tmp")
        self._file: IO[str] | None = None

    def __enter__(self) -> OutputWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, text: str) -> None:
        try:
            if self.tmp is None:
                sys.stdout.write(text)
                sys.stdout.flush()
            else:
                if self._file is None:
                    self._file = self.tmp.open("w", encoding="utf-8")
                self._file.write(text)
                self._file.flush()
        except OSError as exc:
            raise OutputError(str(self.output or "<stdout>"), f"cannot write output: {exc.strerror or exc}") from None

    def close(self) -> None:
        file, self._file = self._file, None
        if file is None or self.tmp is None or self.output is None:
            return
        file.close()
        try:
            self.tmp.replace(self.output)
        except OSError as exc:
            raise OutputError(
                str(self.output), f"cannot write output ({exc.strerror or exc}); the results are in {self.tmp}"
            ) from None


class ResultStream:
    """Summaries in one format, each written as soon as it is done.

    markdown: digests one after another; jsonl: one line each; json: one object for one input, else an array
    whose elements arrive one by one and which is closed when the stream ends, even after an error; html: one
    page for every article, written when the stream ends (:mod:`summarizer.htmlview`), which needs the articles'
    texts (``text``) to highlight the evidence in.
    """

    def __init__(self, writer: OutputWriter, fmt: str, inputs: int) -> None:
        self.writer, self.fmt, self.array = writer, fmt, fmt == "json" and inputs > 1
        self.count = 0
        self.pages: list[tuple[str, str, ArticleSummary]] = []

    def add(self, source: str, result: ArticleSummary, text: str = "") -> None:
        if self.fmt == "html":
            self.pages.append((source, text, result))
            self.count += 1
            return
        text = render(result, self.fmt, source)
        if self.array:
            text = ("[\n" if not self.count else ",\n") + text.rstrip("\n")
        elif self.fmt == "markdown" and self.count:
            text = "\n" + text
        self.writer.write(text)
        self.count += 1

    def close(self) -> None:
        if self.array and self.count:
            self.writer.write("\n]\n")
        if self.pages:
            self.writer.write(render_html(self.pages))
