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
