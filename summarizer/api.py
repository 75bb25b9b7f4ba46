"""The one entry point the CLI, the eval harness and other apps share.

``summarize(text)`` opens a backend, summarizes, and closes it (for the embedded backend that means starting
and stopping the local server). To summarize many articles with one server, use :class:`Summarizer` as a
context manager.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from contextlib import ExitStack
from types import TracebackType
from typing import TYPE_CHECKING

from .articles import Article, parse_article, parse_date
from .backends import Connection, connect
from .backends.modelfile import Progress
from .config import Settings
from .errors import BackendError, InputError
from .pipeline import load_prefix, run
from .schemas import ArticleSummary

if TYPE_CHECKING:
    from .backends.prefix import Outcome

log = logging.getLogger("summarizer")


class Summarizer:
    """A reusable handle: one open backend for many articles."""

    def __init__(self, settings: Settings | None = None, *, progress: Progress | None = None) -> None:
        self.settings = settings or Settings()
        self._progress = progress
        self._stack: ExitStack | None = None
        self._conn: Connection | None = None

    def open(self) -> Summarizer:
        """Connect (for the embedded backend: start the server); the settings were checked when they were built."""
        if self._conn is None:
            stack = ExitStack()
            try:
                self._conn = stack.enter_context(connect(self.settings, self._progress))
            except BaseException:
                stack.close()
                raise
            self._stack = stack
        return self

    def close(self) -> None:
        stack, self._stack, self._conn = self._stack, None, None
        if stack is not None:
            stack.close()

    def __enter__(self) -> Summarizer:
        return self.open()

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def _connection(self) -> Connection:
        self.open()
        assert self._conn is not None
        return self._conn

    def summarize_article(self, article: Article) -> ArticleSummary:
        """Summarize one article. If the embedded server dies during it, restart the server and retry it once."""
        conn = self._connection()
        try:
            return run(conn, article, self.settings)
        except BackendError as exc:
            code = conn.server_exit_code()
            if code is None:
                raise
            log.warning(
                "%s: the embedded server stopped (exit code %s) during the call; restarting it and retrying",
                article.source,
                code,
            )
            self.close()
            try:
                return run(self._connection(), article, self.settings)
            except BackendError as again:
                raise BackendError(
                    f"{article.source}: the embedded server stopped (exit code {code}) during the call, and the "
                    f"retry after a restart failed too: {again.message}",
                    base_url=again.base_url,
                    source=article.source,
                    attempts=again.attempts + exc.attempts,
                ) from None

    def warm(self) -> Outcome | None:
        """Put the configured pipeline's fixed prompt prefix into the embedded server now: ``restored`` from a saved
        state, or read and ``saved`` for later runs; None for endpoints (they keep no prefixes)."""
        return load_prefix(self._connection(), self.settings)

    def summarize(self, text: str, *, published: dt.date | None = None, source: str = "<text>") -> ArticleSummary:
        return self.summarize_article(_article(text, published, source))


def _article(text: str, published: dt.date | str | None, source: str) -> Article:
    if isinstance(published, str):
        published = parse_date(published)
    if not isinstance(text, str):
        raise InputError(source, f"expected the article as str, got {type(text).__name__}")
    return parse_article(text, source, published)


def summarize(text: str, *, published: dt.date | str | None = None, settings: Settings | None = None) -> ArticleSummary:
    """Summarize one article's text into an :class:`ArticleSummary` with grounded records."""
    article = _article(text, published, "<text>")
    with Summarizer(settings) as s:
        return s.summarize_article(article)


async def asummarize(
    text: str, *, published: dt.date | str | None = None, settings: Settings | None = None
) -> ArticleSummary:
    """Async :func:`summarize`: runs in a worker thread, so the event loop stays free during the model call."""
    return await asyncio.to_thread(summarize, text, published=published, settings=settings)
