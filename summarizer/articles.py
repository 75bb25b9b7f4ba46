"""Reading articles: bytes → checked text, an optional metadata header, the body.

Decoding rule: a UTF-32 or UTF-16 byte-order mark selects that encoding; otherwise the bytes must be UTF-8
(a UTF-8 BOM is dropped). NUL bytes in UTF-8 input mean binary data. An HTML page (see :func:`looks_like_html`)
is reduced to its text by :func:`html_to_text` and the evidence offsets then refer to that text.

Header rule: if the file starts with ``key: value`` lines whose keys are all in :data:`HEADER_KEYS` and the block
ends with a blank line, those lines are metadata (``published: YYYY-MM-DD`` is used as the publication date;
``unknown`` means none) and the body is the rest. Evidence offsets always refer to the body.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .htmltext import html_to_text

HEADER_KEYS = frozenset({"id", "outlet", "published", "title", "source", "url", "author", "date"})
_HEADER_LINE = re.compile(r"^([a-z_]+): ?(.*)$")


@dataclass(frozen=True)
class Article:
    """One article: where it came from, its body text, its publication date and header metadata."""

    source: str
    text: str
    published: dt.date | None = None
    meta: dict[str, str] = field(default_factory=dict)


_HTML_START = re.compile(r"\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.I | re.S)
_HTML_TAG = re.compile(r"</?(p|div|article|span|a|br|h[1-6]|li|section)\b[^>]*>", re.I)


def looks_like_html(text: str) -> bool:
    """An HTML page, not text: it opens with a doctype, ``<html>``, ``<head>`` or ``<body>``, or it starts with
    a tag and block/inline tags make up a fifth or more of its lines."""
    if _HTML_START.match(text):
        return True
    if not text.lstrip().startswith("<"):
        return False
    return len(_HTML_TAG.findall(text)) * 5 >= max(1, text.count("\n") + 1)


def parse_date(value: str, source: str = "--published") -> dt.date:
    """Parse ``YYYY-MM-DD`` or raise :class:`InputError` naming the source."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(source, f"invalid date {value!r}: expected YYYY-MM-DD") from None


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip


def decode(data: bytes, source: str) -> str:
    """Check and decode raw bytes (see the module docstring); the rules are the bad-input rules of the CLI."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None and b"\x00" in data:
        raise InputError(source, "looks like binary data, not a text article")
    try:
        text = data.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError as exc:
        name = encoding.upper() if encoding else "UTF-8"
        raise InputError(source, f"not valid {name} (byte {exc.start}); convert it to UTF-8 first") from None
    if "\x00" in text:
        raise InputError(source, "looks like binary data, not a text article")
    if not text.strip():
        raise InputError(source, "the article is empty")
    return text


def split_header(text: str) -> tuple[dict[str, str], str]:
    """Split a metadata header off ``text`` (see the module docstring); returns (meta, body)."""
    lines = text.split("\n")
    meta: dict[str, str] = {}
    for i, line in enumerate(lines):
        if not line.strip():
            if meta:
                return meta, "\n".join(lines[i + 1 :])
            break
        m = _HEADER_LINE.match(line.rstrip("\r"))
        if not m or m.group(1) not in HEADER_KEYS:
            break
        meta[m.group(1)] = m.group(2).strip()
    return {}, text


def parse_article(text: str, source: str, published: dt.date | None = None) -> Article:
    """Build an :class:`Article`; an explicit ``published`` beats the header's. HTML is reduced to text first."""
    if looks_like_html(text):
        try:
            title, text = html_to_text(text)
        except (AssertionError, ValueError) as exc:  # html.parser gives up on some malformed markup
            raise InputError(
                source, f"an HTML page the HTML parser cannot read ({exc or 'malformed markup'})"
            ) from None
        if not text.strip():
            raise InputError(source, "an HTML page with no text in it")
        meta = {"format": "html", **({"title": title} if title else {})}
        return Article(source=source, text=text, published=published, meta=meta)
    meta, body = split_header(text)
    if not body.strip():
        raise InputError(source, "the article has a header but no text" if meta else "the article is empty")
    header_date = meta.get("published", "")
    if published is None and header_date and header_date != "unknown":
        published = parse_date(header_date, f"{source}: header 'published'")
    return Article(source=source, text=body, published=published, meta=meta)


def read_bytes(path: str | Path, source: str) -> bytes:
    """A file's bytes; a file that cannot be read is an :class:`InputError` of ``source`` saying why."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except IsADirectoryError:
        raise InputError(source, "is a directory, not an article file") from None
    except PermissionError:
        raise InputError(source, "permission denied") from None
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:  # a NUL byte or an unencodable character in the path
        raise InputError(source, f"not a usable file name ({exc})") from None


def read_article(path: str | Path, published: dt.date | None = None) -> Article:
    """Read a file (or ``-`` for standard input); bad input raises :class:`InputError`, one line, never a
    traceback."""
    source = str(path)
    if source == "-":
        data = sys.stdin.buffer.read()
        source = "<stdin>"
    else:
        data = read_bytes(path, source)
    return parse_article(decode(data, source), source, published)


def expand_inputs(path: str) -> list[str]:
    """A directory stands for its regular, non-hidden files in name order (not recursive); anything else is itself."""
    p = Path(path)
    if path == "-" or not p.is_dir():
        return [path]
    try:
        files = sorted(str(f) for f in p.iterdir() if not f.name.startswith(".") and f.is_file())
    except OSError as exc:
        raise InputError(path, f"cannot list the directory: {exc.strerror or exc}") from None
    if not files:
        raise InputError(path, "the directory holds no article files")
    return files
