"""HTML pages reduced to text by the rules of summarizer/htmltext.py."""

from __future__ import annotations

import pytest

from summarizer.articles import looks_like_html, parse_article
from summarizer.htmltext import html_to_text

PAGE = """<!DOCTYPE html>
<html><head><title>Pompeo to visit Pyongyang &amp; Seoul</title>
<style>p { color: red }</style><script>var ad = "<p>Buy now</p>";</script></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<header>Breaking news</header>
<article>
  <h1>Pompeo to visit Pyongyang</h1>
  <p>Secretary of State Mike Pompeo will travel to Pyongyang next month,
     the State Department said.</p>
  <p>He met Kim&nbsp;Jong Un in July.<br>Talks are <em>expected</em> to resume.</p>
</article>
<aside>Most read: celebrity news</aside><footer>&copy; 2018 The Outlet</footer>
</body></html>"""


def test_a_news_page_is_reduced_to_its_article_text() -> None:
    title, text = html_to_text(PAGE)
    assert title == "Pompeo to visit Pyongyang & Seoul"
    assert text == (
        "Pompeo to visit Pyongyang\n\n"
        "Secretary of State Mike Pompeo will travel to Pyongyang next month, the State Department said.\n\n"
        "He met Kim Jong Un in July.\n\nTalks are expected to resume."
    )
    article = parse_article(PAGE, "page.html")
    assert article.text == text and article.meta == {"format": "html", "title": title}


def test_a_page_without_an_article_element_keeps_its_body_text() -> None:
    assert html_to_text("<html><body><div>One.</div><div>Two <b>bold</b>.</div></body></html>")[1] == (
        "One.\n\nTwo bold."
    )


def test_what_counts_as_html() -> None:
    assert looks_like_html("  <!doctype html><p>x</p>") and looks_like_html("<html lang='en'>")
    assert looks_like_html("<p>One.</p>\n<p>Two.</p>")
    assert not looks_like_html("Pompeo said <b> is a tag.\nLine two.\nLine three.\nLine four.\nLine five.")
    assert not looks_like_html("A story about the <html> element.")


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>T</title><body><p>Pompeo flew to Pyongyang.</p></body></html>",
        "<html><head><title>T</title><meta charset=utf-8><p>Pompeo flew to Pyongyang.</p>",
        "<html><head><title>T</title></head><body><p>Pompeo flew to Pyongyang.</p></body></html>",
    ],
    ids=["no </head>, <body>", "no </head>, no <body>", "closed head"],
)
def test_a_head_left_open_ends_where_the_body_starts(page: str) -> None:
    assert html_to_text(page) == ("T", "Pompeo flew to Pyongyang.")
