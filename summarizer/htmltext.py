"""An HTML page → the article's plain text, with the standard library's tolerant :class:`html.parser.HTMLParser`.

Rules: the text of ``<script>``, ``<style>``, ``<noscript>``, ``<template>``, ``<svg>``, ``<head>`` (except its
``<title>``), ``<nav>``, ``<header>``, ``<footer>``, ``<aside>`` and ``<form>`` is dropped. If the page has an
``<article>`` element, only the text inside article elements is kept. Character references are resolved.
``<head>`` ends at ``</head>`` or, as HTML allows it to be left open, at the first tag that cannot be in a head
(``<body>``, ``<p>``, ...).
Block elements (paragraphs, headings, list items, ``<br>``, ...) end a paragraph; whitespace inside a paragraph
collapses to one space; paragraphs are joined by a blank line. The result is deterministic, so the evidence
offsets of a summary of an HTML page can be recomputed from the page with :func:`html_to_text`.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "nav", "header", "footer", "aside", "form"})
IN_HEAD = frozenset({"title", "meta", "link", "style", "script", "noscript", "base", "template"})
BLOCK = frozenset(
    {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "table", "blockquote", "section",
     "article", "main", "figure", "figcaption", "pre", "hr", "dd", "dt", "dl", "body", "html"}
)  # fmt: skip


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.article_depth = 0
        self.in_title = False
        self.title: list[str] = []
        self.page: list[list[str]] = [[]]  # paragraphs of the whole page
        self.article: list[list[str]] = [[]]  # paragraphs inside <article> elements
        self.saw_article = False
        self.in_head = False

    def _break(self) -> None:
        for paras in (self.page, self.article):
            if paras[-1]:
                paras.append([])

    def _end_head(self) -> None:
        if self.in_head:
            self.in_head = False
            self.skip_depth -= 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.in_head and tag not in IN_HEAD:
            self._end_head()  # an open <head> ends where the body's content starts
        if tag == "head":
            self.in_head = True
        if tag == "title":
            self.in_title = True
        if tag in SKIP:
            self.skip_depth += 1
        if tag == "article":
            self.article_depth += 1
            self.saw_article = True
        if tag in BLOCK:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag == "head":
            self._end_head()
        elif tag in SKIP and self.skip_depth:
            self.skip_depth -= 1
        if tag == "article" and self.article_depth:
            self.article_depth -= 1
        if tag in BLOCK:
            self._break()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if self.skip_depth:
            return
        self.page[-1].append(data)
        if self.article_depth:
            self.article[-1].append(data)


def _join(paragraphs: list[list[str]]) -> str:
    texts = (re.sub(r"\s+", " ", "".join(p)).strip() for p in paragraphs)
    return "\n\n".join(t for t in texts if t)


def html_to_text(html: str) -> tuple[str, str]:
    """``(title, text)`` of an HTML page by the rules of the module docstring."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    body = _join(parser.article) if parser.saw_article else ""
    title = re.sub(r"\s+", " ", "".join(parser.title)).strip()
    return title, body or _join(parser.page)
