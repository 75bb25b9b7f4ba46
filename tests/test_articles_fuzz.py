"""Fuzzing the article readers: they return a usable article or raise :class:`InputError`, nothing else.

Contract checked (deliberately no more, so that a richer decoder still passes):

* ``decode(data, source)`` returns a non-blank ``str`` or raises ``InputError``; plain UTF-8 text (non-blank,
  no NUL, not markup) decodes to itself, with or without a leading UTF-8 BOM.
* ``parse_article(text, source)`` and ``read_article(path)`` return an ``Article`` whose ``text`` is a non-blank
  ``str`` and a substring of the decoded input, or raise ``InputError``. The one exception to "substring" is an
  HTML page, which :func:`parse_article` reduces to its text on purpose (``meta["format"] == "html"``).
* ``read_article`` of any path string (NUL, surrogates, over-long names, directories) behaves the same way.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import string
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from summarizer.articles import HEADER_KEYS, Article, decode, parse_article, read_article
from summarizer.errors import InputError

FAST = settings(max_examples=200, deadline=None)
FILES = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

UTF8_BOM = codecs.BOM_UTF8

# Text that UTF-8 can encode (no lone surrogates) and that is not binary (no NUL).
_chars = st.characters(codec="utf-8", exclude_characters="\x00")
any_text = st.text(_chars, max_size=200)
# "Plain" text: non-blank, no NUL, no markup ('<' cannot start an HTML page), no leading BOM of its own.
plain_text = (
    st.text(st.characters(codec="utf-8", exclude_characters="\x00<"), min_size=1, max_size=200)
    .filter(lambda s: bool(s.strip()))
    .filter(lambda s: not s.startswith("\ufeff"))
)
_line = st.text(st.characters(codec="utf-8", exclude_characters="\x00\n"), max_size=40)
_key = st.one_of(st.sampled_from(sorted(HEADER_KEYS)), st.text(string.ascii_lowercase + "_", min_size=1, max_size=8))
_dates = st.one_of(
    _line,
    st.dates().map(dt.date.isoformat),
    st.sampled_from(["unknown", "2018-09-26", " 2018-09-26 ", "2018-02-30", "2018-9-6", "20180926", "2018-W01-1"]),
)


@st.composite
def header_text(draw: st.DrawFn) -> str:
    """``key: value`` lines (usually including ``published: <anything>``), a blank line, then a body."""
    lines = [f"{k}:{draw(st.sampled_from(['', ' ', '  ']))}{draw(_line)}" for k in draw(st.lists(_key, max_size=4))]
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), f"published: {draw(_dates)}")
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    sep = draw(st.sampled_from(["\n\n", "\n \n", "\r\n\r\n", "\n", ""]))
    return eol.join(lines) + sep + draw(any_text)


_HTML_BITS = [
    "<html>", "</html>", "<!DOCTYPE html>", "<head>", "</head>", "<body>", "</body>", "<p>", "</p>", "<div>",
    "<br>", "<br/>", "<article>", "</article>", "<script>", "</script>", "<style>", "</style>", "<title>",
    "</title>", "<nav>", "</nav>", "<svg/>", "<a href='x'>", "</a>", "<!--", "-->", "<!", "<![", "<?", "</",
    "<", ">", "/>", "[", "]]>", "CDATA", "if", "&", "&amp;", "&#", "&#x", ";", "=", "'", '"', " ", "\n", "x", "0",
]  # fmt: skip
html_pages = st.builds(
    "".join, st.lists(st.one_of(st.sampled_from(_HTML_BITS), st.text(_chars, max_size=6)), max_size=30)
).map(lambda s: "<html>" + s)  # starts like a page, so parse_article treats it as HTML

texts = st.one_of(any_text, plain_text, header_text(), html_pages)


@st.composite
def _with_nul(draw: st.DrawFn) -> bytes:
    data = draw(st.binary(max_size=100))
    i = draw(st.integers(0, len(data)))
    return data[:i] + b"\x00" + data[i:]


@st.composite
def _invalid_utf8(draw: st.DrawFn) -> bytes:
    data = draw(plain_text).encode("utf-8")
    bad = draw(st.sampled_from([b"\xff", b"\xfe", b"\xc3", b"\x80", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80"]))
    i = draw(st.integers(0, len(data)))
    return data[:i] + bad + data[i:]


_bom_encodings = st.sampled_from(
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ]
)
data_bytes = st.one_of(
    st.binary(max_size=300),
    texts.map(lambda s: s.encode("utf-8")),
    texts.map(lambda s: UTF8_BOM + s.encode("utf-8")),
    st.tuples(_bom_encodings, texts).map(lambda bt: bt[0][0] + bt[1].encode(bt[0][1])),
    st.tuples(_bom_encodings, st.binary(max_size=100)).map(lambda bb: bb[0][0] + bb[1]),  # broken UTF-16/32
    _with_nul(),
    _invalid_utf8(),
)
published = st.one_of(st.none(), st.dates())


def check_article(article: Article, text: str, source: str, when: dt.date | None) -> None:
    """The success half of the contract for an article built from the decoded ``text``."""
    assert isinstance(article, Article)
    assert isinstance(article.text, str) and article.text.strip()
    assert article.source == source
    if when is not None:
        assert article.published == when
    if article.meta.get("format") != "html":  # an HTML page is reduced to its text on purpose
        assert article.text in text


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


@FAST
@given(data_bytes)
@example(b"")
@example(b"   \n\t ")
@example(UTF8_BOM)
@example(codecs.BOM_UTF16_LE)
@example(codecs.BOM_UTF16_LE + b"a")  # odd length: truncated UTF-16
@example(b"\x00")
def test_decode_returns_text_or_raises_input_error(data: bytes) -> None:
    try:
        text = decode(data, "fuzz.txt")
    except InputError as exc:
        assert exc.source.startswith("fuzz.txt") and exc.problem
        return
    assert isinstance(text, str) and text.strip()


@FAST
@given(plain_text)
@example("a")
@example("\u00a0x")  # a non-ASCII space around text
@example("\r\n line")
def test_plain_utf8_decodes_to_itself_with_or_without_a_bom(text: str) -> None:
    assert decode(text.encode("utf-8"), "fuzz.txt") == text
    assert decode(UTF8_BOM + text.encode("utf-8"), "fuzz.txt") == text


@FAST
@given(texts, published)
@example("published: x\n\nbody", None)
@example("published: 2018-09-26\n\n   ", None)
@example("id: a\n\nbody", dt.date(2020, 1, 1))
@example("<html><![0", None)  # regression: html.parser's AssertionError used to escape
def test_parse_article_returns_a_body_substring_or_raises_input_error(text: str, when: dt.date | None) -> None:
    try:
        article = parse_article(text, "fuzz.txt", when)
    except InputError:
        return
    check_article(article, text, "fuzz.txt", when)


@FILES
@given(data_bytes, published)
@example(b"<html><![0", None)
@example(b"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00<\x00!\x00[\x000\x00", None)  # the same page in UTF-16
def test_read_article_returns_an_article_or_raises_input_error(
    workdir: Path, data: bytes, when: dt.date | None
) -> None:
    path = workdir / "article.txt"
    path.write_bytes(data)
    try:
        article = read_article(path, when)
    except InputError as exc:
        assert exc.source.startswith(str(path))
        return
    check_article(article, decode(data, str(path)), str(path), when)


@FILES
@given(st.text(max_size=300))
@example("")  # the work directory itself
@example("article.txt/x")  # a file used as a directory
@example("missing.txt")
@example("\udcff")  # an undecodable argv byte, as Python's surrogateescape hands it over
@example("\x00")  # regression: ValueError (embedded null byte) used to escape
@example("\ud800")  # regression: UnicodeEncodeError used to escape
@example("x" * 256)  # regression: OSError ENAMETOOLONG used to escape Path.is_dir()
def test_read_article_of_any_path_name_returns_or_raises_input_error(workdir: Path, name: str) -> None:
    """Any path string (a library caller's, or argv's with surrogate escapes): an article or InputError."""
    (workdir / "article.txt").write_text("Some text.", encoding="utf-8")
    path = os.path.join(workdir, name.lstrip("/"))  # stay under the work directory
    try:
        article = read_article(path)
    except InputError as exc:
        assert exc.source == path
        return
    assert isinstance(article.text, str) and article.text.strip()
