import datetime as dt

from summarizer.articles import parse_article, split_header


def test_a_header_becomes_metadata_and_offsets_refer_to_the_body() -> None:
    meta, body = split_header("id: a\npublished: 2018-09-26\ntitle: T\n\nBody text.")
    assert meta == {"id": "a", "published": "2018-09-26", "title": "T"} and body == "Body text."


def test_text_that_only_looks_like_a_header_is_left_alone() -> None:
    text = "Note: this is the first line.\n\nSecond paragraph."
    assert split_header(text) == ({}, text)


def test_an_explicit_date_beats_the_header_and_unknown_means_none() -> None:
    assert parse_article("published: 2018-09-26\n\nX.", "a", dt.date(2019, 1, 1)).published == dt.date(2019, 1, 1)
    assert parse_article("published: unknown\n\nX.", "a").published is None


def test_byte_order_marks_select_the_encoding() -> None:
    import codecs

    import pytest

    from summarizer.articles import decode
    from summarizer.errors import InputError

    text = "Mike Pompeo reist nach Pjöngjang — “Gespräche”."
    for data in (
        codecs.BOM_UTF8 + text.encode("utf-8"),
        text.encode("utf-16"),  # with its BOM, in the machine's byte order
        codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        text.encode("utf-32"),
    ):
        assert decode(data, "a.txt") == text
    with pytest.raises(InputError, match=r"a.txt: not valid UTF-16 \(byte 4\); convert it to UTF-8 first"):
        decode(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8", "a.txt")


def test_malformed_html_is_refused_clearly() -> None:
    import pytest

    from summarizer.errors import InputError

    with pytest.raises(InputError, match=r"^page.html: an HTML page the HTML parser cannot read \("):
        parse_article("<html><body><![0", "page.html")
    with pytest.raises(InputError, match=r"^page.html: an HTML page with no text in it$"):
        parse_article("<html><head><script>var a = 1;</script></head><body></body></html>", "page.html")
