import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest

from summarizer.articles import Article
from summarizer.inputs import ArticleInput, article_id, read_inputs

BODY_A = "The foreign minister of Freedonia flew to Sylvania on Monday for two days of talks on river trade."
BODY_B = "Envoys from Grand Fenwick and Latveria signed a fisheries accord in Tomainia, officials said."
BODY_C = "The Ruritanian prime minister postponed a state visit to Osterlich, citing the budget debate."


def hash_id(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def jsonl(path: Path, *lines: object) -> str:
    return write(path, "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")


def problems(items: list[ArticleInput]) -> list[str]:
    return [item.error.message for item in items if item.error is not None]


def test_a_file_is_one_article_with_its_text_hash_and_a_content_id(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", BODY_A)
    [item] = read_inputs([path])
    assert item.error is None and item.article is not None
    assert item.source == path and item.article.text == BODY_A
    assert item.sha256 == hashlib.sha256(BODY_A.encode()).hexdigest()
    assert item.id == hash_id(BODY_A) == article_id(item.article)


def test_ids_are_stable_and_a_header_id_wins(tmp_path: Path) -> None:
    plain = write(tmp_path / "plain.txt", BODY_A)
    headed = write(tmp_path / "headed.txt", f"id: fre-syl-01\ntitle: Talks\n\n{BODY_B}")
    first = read_inputs([plain, headed])
    second = read_inputs([plain, headed])
    assert [i.id for i in first] == [i.id for i in second] == [hash_id(BODY_A), "fre-syl-01"]
    assert first[1].article is not None and first[1].article.text == BODY_B  # the hash is of the body
    assert first[1].sha256 == hashlib.sha256(BODY_B.encode()).hexdigest()


def test_a_directory_stands_for_its_files_in_name_order(tmp_path: Path) -> None:
    write(tmp_path / "d" / "b.txt", BODY_B)
    write(tmp_path / "d" / "a.txt", BODY_A)
    write(tmp_path / "d" / ".hidden.txt", BODY_C)
    items = read_inputs([str(tmp_path / "d"), write(tmp_path / "c.txt", BODY_C)])
    assert [Path(i.source).name for i in items] == ["a.txt", "b.txt", "c.txt"]
    assert problems(items) == []


def test_a_glob_matches_sorted_files_recursively_and_a_glob_matching_nothing_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "g" / "z.txt", BODY_A)
    write(tmp_path / "g" / "sub" / "m.txt", BODY_B)
    write(tmp_path / "g" / "notes.md", BODY_C)
    (tmp_path / "g" / "dir.txt").mkdir()  # a directory matching the pattern is not an input
    items = read_inputs([str(tmp_path / "g" / "**" / "*.txt"), str(tmp_path / "nothing" / "*.txt")])
    names = [Path(i.source).relative_to(tmp_path).as_posix() for i in items[:2]]
    assert names == ["g/sub/m.txt", "g/z.txt"]
    assert items[2].article is None and items[2].id == "" and items[2].source == str(tmp_path / "nothing" / "*.txt")
    assert problems(items) == [f"{tmp_path / 'nothing' / '*.txt'}: the pattern matches no files"]


def test_an_existing_file_with_glob_characters_in_its_name_is_that_file(tmp_path: Path) -> None:
    path = write(tmp_path / "report[1].txt", BODY_A)
    write(tmp_path / "report1.txt", BODY_B)
    [item] = read_inputs([path])
    assert item.source == path and item.article is not None and item.article.text == BODY_A


def test_stdin_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(f"id: from-pipe\n\n{BODY_C}".encode()), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    items = read_inputs(["-", "-"])
    assert items[0].source == "<stdin>" and items[0].id == "from-pipe"
    assert items[0].article is not None and items[0].article.text == BODY_C
    assert problems(items) == ["<stdin>: '-' given more than once"]


def test_a_jsonl_file_is_one_article_per_record_with_ids_dates_and_metadata(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path / "feed.jsonl",
        {"id": "rec-1", "text": BODY_A, "published": "2021-03-04", "outlet": "Freedonia Herald"},
        "",
        {"id": 42, "text": BODY_B, "score": 0.5, "paywalled": True, "tags": ["trade", "river"], "where": {"x": 1}},
        {"text": BODY_C, "note": None},
    )
    a, b, c = read_inputs([path])
    assert [i.source for i in (a, b, c)] == [f"{path}:1", f"{path}:3", f"{path}:4"]  # the blank line is skipped
    assert [i.id for i in (a, b, c)] == ["rec-1", "42", hash_id(BODY_C)]
    assert a.article is not None and a.article.published == dt.date(2021, 3, 4)
    assert a.article.meta == {"id": "rec-1", "published": "2021-03-04", "outlet": "Freedonia Herald"}
    assert b.article is not None and b.article.text == BODY_B
    assert b.article.meta == {
        "id": "42", "score": "0.5", "paywalled": "true", "tags": '["trade", "river"]', "where": '{"x": 1}',
    }  # fmt: skip
    assert c.article is not None and c.article.meta == {} and c.sha256 == hashlib.sha256(BODY_C.encode()).hexdigest()


def test_bad_jsonl_lines_are_errors_for_those_lines_and_the_others_still_count(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path / "feed.jsonl",
        {"id": "ok-1", "text": BODY_A},
        '{"id": "broken", "text": ',
        '["not", "an", "object"]',
        {"id": "no-text", "title": "Missing"},
        {"id": "bad-date", "text": BODY_B, "published": "2021-02-30"},
        {"id": "odd-date", "text": BODY_B, "published": "04/03/2021"},
        {"id": "blank", "text": "  \n "},
        {"id": 1.5, "text": BODY_B},
        {"id": "num-text", "text": 7},
        {"id": "ok-2", "text": BODY_C},
    )
    items = read_inputs([path])
    assert [i.id for i in items if i.article is not None] == ["ok-1", "ok-2"]
    assert [i.source for i in items if i.article is not None] == [f"{path}:1", f"{path}:10"]
    assert problems(items) == [
        f"{path}:2: not a JSON object: Expecting value (column 26)",
        f"{path}:3: not a JSON object but an array",
        f"{path}:4: the record has no 'text'",
        f"{path}:5: invalid date '2021-02-30': expected YYYY-MM-DD",
        f"{path}:6: invalid date '04/03/2021' in 'published': expected YYYY-MM-DD",
        f"{path}:7: 'text' is empty",
        f"{path}:8: 'id' must be a string or an integer, not a number",
        f"{path}:9: 'text' must be a string, not a number",
    ]
    errors = [i for i in items if i.error is not None]
    assert [i.id for i in errors] == ["", "", "no-text", "bad-date", "odd-date", "blank", "", "num-text"]
    assert all(i.article is None and i.sha256 is None and "\n" not in i.error.message for i in errors if i.error)


def test_an_html_record_is_reduced_to_text(tmp_path: Path) -> None:
    page = f"<html><head><title>Talks</title></head><body><nav>Menu</nav><p>{BODY_A}</p></body></html>"
    path = jsonl(tmp_path / "pages.jsonl", {"id": "page-1", "text": page, "outlet": "Herald"})
    [item] = read_inputs([path])
    assert item.article is not None and item.article.text == BODY_A
    assert item.article.meta == {"id": "page-1", "outlet": "Herald", "format": "html", "title": "Talks"}
    assert item.sha256 == hashlib.sha256(BODY_A.encode()).hexdigest()


def test_a_header_in_a_record_text_is_the_articles_header(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "f.jsonl", {"id": "rec", "text": f"id: hdr\npublished: 2020-01-02\n\n{BODY_A}"})
    [item] = read_inputs([path], dt.date(1999, 1, 1))
    assert item.id == "hdr" and item.article is not None and item.article.text == BODY_A
    assert item.article.published == dt.date(2020, 1, 2)


def test_the_published_argument_fills_in_only_missing_dates(tmp_path: Path) -> None:
    fallback = dt.date(2022, 6, 1)
    plain = write(tmp_path / "plain.txt", BODY_A)
    headed = write(tmp_path / "headed.txt", f"published: 2019-05-06\n\n{BODY_B}")
    unknown = write(tmp_path / "unknown.txt", f"published: unknown\n\n{BODY_C}")
    records = jsonl(
        tmp_path / "r.jsonl", {"id": "r1", "text": "Record one text.", "published": "2018-07-08"},
        {"id": "r2", "text": "Record two text."},
    )  # fmt: skip
    items = read_inputs([plain, headed, unknown, records], fallback)
    dates = [i.article.published for i in items if i.article is not None]
    assert dates == [fallback, dt.date(2019, 5, 6), fallback, dt.date(2018, 7, 8), fallback]
    assert [i.article.published for i in read_inputs([plain]) if i.article] == [None]


def test_the_same_id_with_other_text_is_an_error_and_the_same_text_is_kept(tmp_path: Path) -> None:
    first = write(tmp_path / "1.txt", f"id: dup\n\n{BODY_A}")
    other = write(tmp_path / "2.txt", f"id: dup\n\n{BODY_B}")
    again = write(tmp_path / "3.txt", f"id: dup\ntitle: Reprint\n\n{BODY_A}")
    copy = write(tmp_path / "4.txt", BODY_C)
    records = jsonl(tmp_path / "r.jsonl", {"text": BODY_C}, {"id": "dup", "text": BODY_B})
    items = read_inputs([first, other, again, copy, copy, records])
    assert [(i.source, i.error is None) for i in items] == [
        (first, True), (other, False), (again, True), (copy, True), (copy, True), (f"{records}:1", True),
        (f"{records}:2", False),
    ]  # fmt: skip
    assert items[2].id == "dup" and items[3].id == items[4].id == items[5].id  # one article, several sources
    assert problems(items) == [
        f"{other}: duplicate article id dup, also {first}",
        f"{records}:2: duplicate article id dup, also {first}",
    ]
    assert items[1].id == "dup" and items[1].article is None and items[1].sha256 is None


def test_unreadable_inputs_are_error_inputs_in_spec_order(tmp_path: Path) -> None:
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\x00\x01\x02")
    blank = write(tmp_path / "blank.jsonl", "\n  \n")
    good = write(tmp_path / "good.txt", BODY_A)
    missing = str(tmp_path / "missing.txt")
    items = read_inputs([missing, str(empty_dir), str(binary), good, blank])
    assert [i.source for i in items] == [missing, str(empty_dir), str(binary), good, blank]
    assert problems(items) == [
        f"{missing}: no such file",
        f"{empty_dir}: the directory holds no article files",
        f"{binary}: looks like binary data, not a text article",
        f"{blank}: the article is empty",
    ]


def test_odd_record_values_are_refused_one_line_each(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path / "odd.jsonl",
        '{"id": "s", "text": "Bad \\ud800 surrogate."}',
        {"id": "two\nlines", "text": BODY_A},
        {"id": True, "text": BODY_A},
        {"id": "nul", "text": "A\u0000B"},
        {"id": "  ", "text": BODY_B, "published": None},
    )
    items = read_inputs([path])
    assert problems(items) == [
        f"{path}:1: holds an unpaired surrogate escape (\\ud800-\\udfff), not valid text",
        f"{path}:2: 'id' must be on one line",
        f"{path}:3: 'id' must be a string or an integer, not a boolean",
        f"{path}:4: 'text' holds a NUL character: binary data, not an article",
    ]
    assert items[-1].id == hash_id(BODY_B) and items[-1].article is not None and items[-1].article.meta == {}


def test_an_input_has_exactly_one_of_article_and_error() -> None:
    from summarizer.errors import InputError

    with pytest.raises(ValueError, match="exactly one"):
        ArticleInput("x", "a.txt")
    with pytest.raises(ValueError, match="exactly one"):
        ArticleInput("x", "a.txt", article=Article("a.txt", "T"), error=InputError("a.txt", "bad"))
