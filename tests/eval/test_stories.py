"""The summaries a timeline is built from (summarizer.eval.stories): summary files, and gold articles replayed from
their cassettes. Hand-built summaries are invented (Anna Berg's trips); replay uses the committed seed articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.config import Settings
from summarizer.errors import ConfigError, InputError, ReplayMissError
from summarizer.eval.gold import GoldCase, load_gold_dir
from summarizer.eval.runner import run_cases
from summarizer.eval.stories import collect_summaries, read_summary_file
from summarizer.render import to_json
from summarizer.schemas import ArticleSummary, Span, Trip

from ..support.paths import ARTICLES, ROOT


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the default cassette folder, cassettes/eval/PIPELINE, is relative
    for k in ("OPENAI_BASE_URL", "SUMMARIZER_BASE_URL", "SUMMARIZER_NORMALIZE"):
        monkeypatch.delenv(k, raising=False)


@pytest.fixture(scope="module")
def cases() -> list[GoldCase]:
    return load_gold_dir(ROOT / "evals" / "gold", ROOT)


def made_up(dest: str, published: str = "2018-10-02") -> ArticleSummary:
    """An invented summary: Anna Berg's trip to ``dest``."""
    quote = f"Anna Berg will fly to {dest} on Sunday"
    trip = Trip(
        id="T1", traveler="Anna Berg", destinations=[dest], destination_codes=[None], when="on Sunday",
        date="2018-10-07", date_granularity="day", status="planned", evidence=[quote],
        spans=[Span(quote=quote, start=0, end=len(quote), method="exact", score=100.0)], grounded=True,
    )  # fmt: skip
    return ArticleSummary.model_validate({"published": published, "summary": f"Berg visits {dest}.", "trips": [trip]})


def test_a_summarize_json_file_gives_its_summary_under_the_source_stem(tmp_path: Path) -> None:
    summary = made_up("Tokyo")
    path = tmp_path / "out.json"
    path.write_text(to_json(summary, "news/berg-tokyo.txt") + "\n", encoding="utf-8")
    assert read_summary_file(path) == [("berg-tokyo", summary)]


def test_without_a_source_the_summary_files_stem_is_the_id(tmp_path: Path) -> None:
    path = tmp_path / "berg.json"
    path.write_text(to_json(made_up("Tokyo")), encoding="utf-8")
    assert [name for name, _ in read_summary_file(path)] == ["berg"]
    lines = tmp_path / "many.jsonl"
    lines.write_text(to_json(made_up("Tokyo"), indent=None) + "\n" + to_json(made_up("Oslo"), indent=None) + "\n")
    assert [name for name, _ in read_summary_file(lines)] == ["many-1", "many-2"]


def test_a_jsonl_file_gives_each_line_in_order(tmp_path: Path) -> None:
    tokyo, oslo = made_up("Tokyo"), made_up("Oslo", "2018-10-09")
    path = tmp_path / "out.jsonl"
    path.write_text(
        to_json(tokyo, "a/tokyo-visit.txt", indent=None) + "\n\n" + to_json(oslo, "b/oslo-visit.html", indent=None)
    )  # a blank line between, no newline at the end
    assert read_summary_file(path) == [("tokyo-visit", tokyo), ("oslo-visit", oslo)]


def test_the_json_array_summarize_writes_for_several_articles_is_read(tmp_path: Path) -> None:
    from summarizer.cli.output import OutputWriter, ResultStream

    tokyo, oslo = made_up("Tokyo"), made_up("Oslo")
    path = tmp_path / "both.json"
    with OutputWriter(path) as writer:
        stream = ResultStream(writer, "json", inputs=2)
        stream.add("news/tokyo-visit.txt", tokyo)
        stream.add("news/oslo-visit.txt", oslo)
        stream.close()
    assert json.loads(path.read_text())[1]["source"] == "news/oslo-visit.txt"  # what summarize writes
    assert read_summary_file(path) == [("tokyo-visit", tokyo), ("oslo-visit", oslo)]


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("out.json", "Anna Berg flew to Tokyo.", "not JSON: Expecting value: line 1 column 1 (char 0)"),
        ("out.json", '"a string"', "summary 1 is not a JSON object"),
        ("out.jsonl", '{"summary": "fine"}\n[1, 2]\n', "summary 2 is not a JSON object"),
        (
            "out.json",
            '{"source": "a.txt", "trips": []}',
            "summary 1 is not a summarizer output: summary: Field required",
        ),
        (
            "out.jsonl",
            '{"summary": "s", "trips": [{"traveler": "Anna Berg"}]}',
            "summary 1 is not a summarizer output: trips.0.evidence: Field required (and 2 more)",
        ),
    ],
)
def test_a_file_that_is_not_summaries_is_an_input_error_in_one_line(
    tmp_path: Path, name: str, text: str, problem: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_summary_file(path)
    assert (info.value.source, info.value.problem) == (str(path), problem)
    assert str(info.value) == f"{path}: {problem}" and "\n" not in str(info.value)


def test_a_missing_or_undecodable_summary_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_summary_file(tmp_path / "nope.json")
    assert info.value.problem.startswith("cannot read: ") and "\n" not in str(info.value)
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"summary": "caf\xe9"}\n')
    with pytest.raises(InputError, match="cannot read"):
        read_summary_file(latin)


def test_a_replayed_gold_article_is_summarized_as_summarizer_eval_replays_it(cases: list[GoldCase]) -> None:
    (case,) = [c for c in cases if c.id == "seed-000"]
    (record,) = run_cases([case], Settings(), live=False, cassette_dir=Path("cassettes/eval/cited"))
    assert record.prediction is not None
    ((name, summary),) = collect_summaries([ARTICLES / "seed-000.txt"], Settings(), replay=True, cases=cases, root=ROOT)
    assert name == "seed-000" and summary == record.prediction
    assert summary.published == case.gold.published  # the gold file's date, as eval reads it
    assert summary.trips and all(t.id for t in summary.trips)  # normalized, as every pipeline output is


def test_the_gold_file_gives_a_replayed_articles_id(tmp_path: Path, cases: list[GoldCase]) -> None:
    other_name = tmp_path / "pompeo-story.txt"
    other_name.symlink_to(ARTICLES / "seed-001.txt")
    ((name, summary),) = collect_summaries([other_name], Settings(), replay=True, cases=cases, root=ROOT)
    assert name == "seed-001" and str(summary.published) == "2018-10-02"


def test_summary_files_and_replayed_articles_keep_the_input_order(tmp_path: Path, cases: list[GoldCase]) -> None:
    path = tmp_path / "berg.json"
    path.write_text(to_json(made_up("Tokyo"), "x/berg-tokyo.txt"), encoding="utf-8")
    files = [ARTICLES / "seed-002.txt", path, ARTICLES / "seed-000.txt"]
    got = collect_summaries(files, Settings(), replay=True, cases=cases, root=ROOT)
    assert [name for name, _ in got] == ["seed-002", "berg-tokyo", "seed-000"]
    assert got[1][1] == made_up("Tokyo")


def test_an_article_outside_the_gold_set_cannot_be_replayed(tmp_path: Path, cases: list[GoldCase]) -> None:
    article = tmp_path / "berg.txt"
    article.write_text("Anna Berg will fly to Tokyo on Sunday.", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        collect_summaries([ARTICLES / "seed-000.txt", article], Settings(), replay=True, cases=cases, root=ROOT)
    assert str(info.value) == f"--replay: {article} is not an article of the gold set (no gold file names it)"


def test_a_replayed_article_without_a_cassette_says_so(tmp_path: Path, cases: list[GoldCase]) -> None:
    with pytest.raises(ReplayMissError) as info:
        collect_summaries(
            [ARTICLES / "seed-000.txt"], Settings(), replay=True, cases=cases, root=ROOT, cassette_dir=tmp_path
        )
    assert str(info.value).startswith(f"seed-000: no cassette at {tmp_path / 'seed-000.yaml'}")


def test_summary_files_need_no_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_model(*_: object, **__: object) -> None:
        raise AssertionError("a model was started for summary files")

    monkeypatch.setattr("summarizer.eval.stories.Summarizer", no_model)
    path = tmp_path / "berg.json"
    path.write_text(to_json(made_up("Tokyo"), "berg.txt"), encoding="utf-8")
    assert collect_summaries([path], Settings()) == [("berg", made_up("Tokyo"))]


def test_an_upper_case_json_suffix_is_read_as_one_document(tmp_path: Path) -> None:
    path = tmp_path / "BERG.JSON"
    path.write_text(to_json(made_up("Tokyo"), "berg.txt"), encoding="utf-8")  # indented over several lines
    assert collect_summaries([path], Settings()) == [("berg", made_up("Tokyo"))]
