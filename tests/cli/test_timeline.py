"""``summarizer timeline`` end to end, offline: the seed articles replayed from the committed eval cassettes, the
committed gold timeline, and invented summary files that need no model."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.articles import read_article
from summarizer.cli import app
from summarizer.render import to_json
from summarizer.schemas import ArticleSummary, Span, Trip
from summarizer.timeline_render import CSV_COLUMNS

from ..support.paths import ROOT

runner = CliRunner()
SEED_FILES = ["evals/articles/seed-000.txt", "evals/articles/seed-001.txt", "evals/articles/seed-002.txt"]
SEEDS_GOLD = "evals/timelines/seeds.json"
MERGE_LINE = re.compile(
    r"seeds: \d+ events \(gold 14\); record pairs merged correctly \d+, wrongly \d+, missed \d+, unreachable \d+; "
    r"P \d\.\d{3} R \d\.\d{3} F1 \d\.\d{3}"
)


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for k in ("OPENAI_BASE_URL", "SUMMARIZER_BASE_URL"):
        monkeypatch.delenv(k, raising=False)


def timeline(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, ["timeline", *args])
    return r.exit_code, r.stdout, r.stderr


def rows(markdown: str) -> list[dict[str, str]]:
    """The event table of a markdown timeline, one dict per row."""
    keys = ("id", "date", "event", "status", "history", "articles", "conflicts")
    return [
        dict(zip(keys, (c.strip() for c in line.strip("|").split(" | ")), strict=True))
        for line in markdown.splitlines()
        if line.startswith("| E")
    ]


def one_line(stderr: str) -> str:
    return " ".join(stderr.split())  # the console may wrap a long line


def test_replayed_seeds_merge_the_october_trip_across_two_articles() -> None:
    code, out, err = timeline("--replay", *SEED_FILES)
    assert code == 0, err
    assert out.startswith("# Timeline: ") and " events from 3 articles\n" in out
    table = rows(out)
    october = [r for r in table if r["event"].startswith("trip: Mike Pompeo") and r["date"].startswith("2018-10-")]
    assert len(october) == 1  # one event, reported by two articles
    (trip,) = october
    assert (trip["date"], trip["status"], trip["articles"]) == (
        "2018-10-06/2018-10-07",
        "planned",
        "seed-000, seed-001",
    )
    assert trip["history"] == (
        'planned "next month" (2018-09-26, seed-000) → planned "this weekend" (2018-10-02, seed-001)'
    )
    pompeo_0_1 = [r for r in table if r["event"].startswith("trip: Mike Pompeo") and "seed-00" in r["articles"]
                  and r["articles"] != "seed-002"]  # fmt: skip
    assert pompeo_0_1 == [trip]  # neither report of it stands alone
    july = [r for r in table if r["event"].startswith("trip: Mike Pompeo") and r["articles"] == "seed-002"]
    assert len(july) == 1 and july[0]["date"].startswith("2018-07-")
    assert [r["id"] for r in table] == [f"E{k}" for k in range(1, len(table) + 1)]


def test_json_output_is_the_timeline_with_evidence_offsets_into_each_article() -> None:
    code, out, err = timeline("--replay", "-f", "json", *SEED_FILES)
    assert code == 0, err
    data = json.loads(out)
    assert data["format"] == "summarizer-timeline/1"
    assert [a["id"] for a in data["articles"]] == ["seed-002", "seed-000", "seed-001"]  # by publication date
    texts = {Path(f).stem: read_article(Path(f)).text for f in SEED_FILES}
    spans = [s for e in data["events"] for m in e["mentions"] for s in m["evidence"] if s["start"] is not None]
    assert spans
    for e in data["events"]:
        for m in e["mentions"]:
            for s in m["evidence"]:
                if s["start"] is not None:
                    assert texts[m["article"]][s["start"] : s["end"]] == s["quote"]
    both = [e for e in data["events"] if {m["article"] for m in e["mentions"]} == {"seed-000", "seed-001"}]
    assert any(e["category"] == "trips" and [m["when"] for m in e["mentions"]] == ["next month", "this weekend"]
               for e in both)  # fmt: skip


def test_csv_output_has_the_header_and_one_row_per_event() -> None:
    code, out, err = timeline("--replay", "-f", "csv", *SEED_FILES)
    assert code == 0, err
    assert out.splitlines()[0] == ",".join(CSV_COLUMNS)
    events = json.loads(timeline("--replay", "-f", "json", *SEED_FILES)[1])["events"]
    table = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in table] == [e["id"] for e in events]
    assert [r["date"] for r in table] == [e["date"] or "" for e in events]


def test_output_file_gets_what_stdout_would(tmp_path: Path) -> None:
    target = tmp_path / "story.md"
    code, out, err = timeline("--replay", "-o", str(target), *SEED_FILES)
    assert (code, out) == (0, ""), err
    assert target.read_text(encoding="utf-8") == timeline("--replay", *SEED_FILES)[1]


def test_gold_without_files_takes_the_timelines_articles_and_prints_merge_scores() -> None:
    code, out, err = timeline("--replay", "--gold", SEEDS_GOLD)
    assert code == 0, err
    assert out.startswith("# Timeline: ") and " events from 3 articles\n" in out
    assert MERGE_LINE.fullmatch(one_line(err)), err
    assert "seeds:" not in out  # scores go to stderr, stdout stays the timeline


def test_the_merge_scores_are_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer.cli.common import err_console

    monkeypatch.setattr(err_console, "_width", 80)  # rich's width when no standard stream is a terminal (a pipe)
    code, _, err = timeline("--replay", "--gold", SEEDS_GOLD)
    assert code == 0 and err.count("\n") == 1, err


def test_from_gold_scores_the_merging_rules_alone() -> None:
    code, out, err = timeline("--from-gold", "--gold", SEEDS_GOLD)
    assert code == 0, err
    assert out.startswith("# Timeline: 14 events from 3 articles\n")
    assert one_line(err) == (
        "seeds: 14 events (gold 14); record pairs merged correctly 5, wrongly 0, missed 0, unreachable 0; "
        "P 1.000 R 1.000 F1 1.000"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "no input: give summary or article files, or --gold TIMELINE"),
        (["--from-gold"], "--from-gold takes no FILE and needs --gold TIMELINE"),
        (["--from-gold", "--gold", SEEDS_GOLD, SEED_FILES[0]], "--from-gold takes no FILE and needs --gold TIMELINE"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], message: str) -> None:
    assert timeline(*args) == (2, "", f"Error: {message}\n")


def test_replay_refuses_an_article_outside_the_gold_set(tmp_path: Path) -> None:
    article = tmp_path / "berg.txt"
    article.write_text("Foreign Minister Anna Berg will fly to Tokyo next week.", encoding="utf-8")
    assert timeline("--replay", SEED_FILES[0], str(article)) == (
        2, "", f"Error: --replay: {article} is not an article of the gold set (no gold file names it)\n"
    )  # fmt: skip


def test_an_unknown_format_names_the_choices() -> None:
    code, out, err = timeline("--replay", "-f", "xml", *SEED_FILES)
    assert (code, out) == (2, "")
    assert err.startswith("Usage: ")
    assert err.endswith("\n\nError: Invalid value for '--format' / '-f': unknown format 'xml'; choose from markdown, "
                        "json, csv, html\n"), err  # fmt: skip


def test_the_command_offers_every_format_the_renderer_has() -> None:
    from summarizer.choices import TIMELINE_FORMAT_NAMES
    from summarizer.timeline_render import RENDERERS

    assert tuple(RENDERERS) == TIMELINE_FORMAT_NAMES


def test_a_missing_summary_file_is_one_error_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    code, out, err = timeline(str(missing))
    assert (code, out) == (2, "")
    assert err.startswith(f"Error: {missing}: cannot read: ") and err.count("\n") == 1 and "Traceback" not in err


def test_an_invalid_gold_timeline_is_one_error_line(tmp_path: Path) -> None:
    raw = json.loads((ROOT / SEEDS_GOLD).read_text(encoding="utf-8"))
    raw["articles"].append("no-such-article")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(raw), encoding="utf-8")
    assert timeline("--replay", "--gold", str(bad)) == (
        2, "", f"Error: {bad}: articles: no gold file with id 'no-such-article'\n"
    )  # fmt: skip


def berg(published: str, when: str, date: str, granularity: str, quote: str) -> ArticleSummary:
    """An invented summary of one article: Anna Berg's trip to Tokyo, as ``summarize`` would output it."""
    trip: dict[str, Any] = {
        "id": "T1", "traveler": "Anna Berg", "destinations": ["Tokyo"], "destination_codes": ["JPN"], "when": when,
        "date": date, "date_granularity": granularity, "status": "planned", "evidence": [quote],
        "spans": [Span(quote=quote, start=0, end=len(quote), method="exact", score=100.0)], "grounded": True,
    }  # fmt: skip
    return ArticleSummary.model_validate(
        {"published": published, "summary": "Berg goes to Tokyo.", "trips": [Trip.model_validate(trip)]}
    )


def test_summary_files_make_a_timeline_without_any_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_model(*_: object, **__: object) -> None:
        raise AssertionError("a model was started for summary files")

    monkeypatch.setattr("summarizer.eval.stories.Summarizer", no_model)
    monkeypatch.setenv("SUMMARIZER_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens there
    first = tmp_path / "first.json"
    first.write_text(to_json(berg("2018-09-26", "next month", "2018-10", "month",
                                  "Anna Berg will fly to Tokyo next month"), "news/berg-announced.txt"))  # fmt: skip
    second = tmp_path / "second.jsonl"
    dated = berg("2018-10-02", "on Sunday", "2018-10-07", "day", "Berg lands in Tokyo on Sunday")
    second.write_text(to_json(dated, "news/berg-dated.txt", indent=None) + "\n")
    code, out, err = timeline(str(second), str(first))
    assert code == 0, err
    (row,) = rows(out)
    assert (row["date"], row["status"], row["articles"]) == ("2018-10-07", "planned", "berg-announced, berg-dated")
    assert row["event"] == "trip: Anna Berg → Tokyo"
    assert "- berg-dated T1 (planned) [0:29]: Berg lands in Tokyo on Sunday" in out


def test_the_default_pipelines_recordings_merge_the_second_summit_across_two_articles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``timeline --replay`` without ``--pipeline`` replays the default's recordings (``cassettes/eval/sift-narrow``,
    not the ``cited`` ones the other tests pin): the planned second Trump–Kim summit is one event from seed-000 and
    seed-001, dated as seed-001 dates it."""
    monkeypatch.delenv("SUMMARIZER_PIPELINE")  # tests/conftest.py's pin: this test runs the default
    code, out, err = timeline("--replay", *SEED_FILES)
    assert code == 0, err
    summits = [r for r in rows(out) if r["event"].startswith("summit: Trump – Kim Jong Un")]
    assert [(r["date"], r["status"], r["articles"]) for r in summits] == [("2018-11", "planned", "seed-000, seed-001")]
