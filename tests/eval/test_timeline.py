"""Gold timelines and merge scores (summarizer.eval.timeline), on the committed gold and on broken copies of it.

The committed gold timelines and gold files are read, never copied here: a broken timeline is the committed
``seeds.json`` changed in one place and written to a temporary folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.errors import GoldFormatError
from summarizer.eval.gold import GoldCase, load_gold_dir
from summarizer.eval.score import score
from summarizer.eval.timeline import (
    GoldTimeline,
    gold_summary,
    load_gold_timeline,
    load_gold_timelines,
    merge_scores,
    score_merging,
)
from summarizer.schemas import ArticleSummary
from summarizer.timeline import Event, Timeline, build_timeline

from ..support.cases import ARTICLE, SUMMITS, TRIPS, gold_case
from ..support.paths import ROOT

TIMELINES = ROOT / "evals" / "timelines"
SEEDS_TIMELINE = TIMELINES / "seeds.json"
SEED_IDS = ("seed-000", "seed-001", "seed-002")


@pytest.fixture(scope="module")
def cases() -> dict[str, GoldCase]:
    return {c.id: c for c in load_gold_dir(ROOT / "evals" / "gold", ROOT)}


@pytest.fixture(scope="module")
def seeds(cases: dict[str, GoldCase]) -> GoldTimeline:
    return load_gold_timeline(SEEDS_TIMELINE, cases)


@pytest.fixture(scope="module")
def perfect(cases: dict[str, GoldCase]) -> dict[str, ArticleSummary]:
    """The seed articles as a perfect extraction would summarize them (shared: tests copy before changing)."""
    return {a: gold_summary(cases[a]) for a in SEED_IDS}


def pairs(summaries: dict[str, ArticleSummary]) -> list[tuple[str, ArticleSummary]]:
    return [(a, s.model_copy(deep=True)) for a, s in summaries.items()]


def event_with(t: Timeline, article: str, record: str) -> Event:
    return next(e for e in t.events if any((m.article, m.record) == (article, record) for m in e.mentions))


def broken(tmp_path: Path, change: Any) -> Path:
    """The committed seeds timeline, changed by ``change(raw)``, written to ``tmp_path``."""
    raw = json.loads(SEEDS_TIMELINE.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "timeline.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


@pytest.mark.parametrize("path", sorted(TIMELINES.glob("*.json")), ids=lambda p: p.stem)
def test_every_committed_gold_timeline_loads(path: Path, cases: dict[str, GoldCase]) -> None:
    gold = load_gold_timeline(path, cases)
    assert gold.id == path.stem and gold.articles and gold.events
    refs = [(r.article, r.record) for e in gold.events for r in e.records]
    assert len(refs) == len(set(refs)) and {a for a, _ in refs} <= set(gold.articles)


def test_the_seeds_timeline_names_the_three_seed_articles(seeds: GoldTimeline) -> None:
    assert seeds.articles == list(SEED_IDS) and len(seeds.events) == 14
    october = next(e for e in seeds.events if len(e.records) == 2 and e.category == "trips")
    assert [(r.article, r.record) for r in october.records] == [("seed-000", "T1"), ("seed-001", "T1")]


def _add_article(raw: dict[str, Any]) -> None:
    raw["articles"].append("no-such-article")


def _unknown_record(raw: dict[str, Any]) -> None:
    raw["events"][0]["records"].append({"article": "seed-002", "record": "S9"})


def _twice(raw: dict[str, Any]) -> None:
    raw["events"][2]["records"].append({"article": "seed-002", "record": "T4"})  # E2's record, also in E3


def _unplaced(raw: dict[str, Any]) -> None:
    raw["events"] = [e for e in raw["events"] if e["records"] != [{"article": "seed-002", "record": "T5"}]]


def _unlisted(raw: dict[str, Any]) -> None:
    raw["events"][0]["records"].append({"article": "dev-03-detainees-home-after-pompeo-trip", "record": "S1"})


def _extra_key(raw: dict[str, Any]) -> None:
    raw["owner"] = "someone"


def _bad_category(raw: dict[str, Any]) -> None:
    raw["events"][0]["category"] = "visits"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (_add_article, "articles: no gold file with id 'no-such-article'"),
        (_unknown_record, "E1: no summits record S9 in seed-002"),
        (_twice, "E3: seed-002 T4 is already in E2"),
        (_unplaced, "seed-002 trips T5 is in no event"),
        (_unlisted, "E1: no summits record S1 in dev-03-detainees-home-after-pompeo-trip"),  # not in its articles
        (_extra_key, "owner: Extra inputs are not permitted"),
        (_bad_category, "events.0.category: Input should be 'trips' or 'summits'"),
    ],
)
def test_an_invalid_timeline_names_file_and_problem(
    tmp_path: Path, cases: dict[str, GoldCase], change: Any, problem: str
) -> None:
    path = broken(tmp_path, change)
    with pytest.raises(GoldFormatError) as info:
        load_gold_timeline(path, cases)
    assert info.value.problems == [f"{path}: {problem}"]
    assert str(info.value) == f"{path}: {problem}"


def test_every_problem_is_listed_and_the_message_counts_the_rest(tmp_path: Path, cases: dict[str, GoldCase]) -> None:
    def two(raw: dict[str, Any]) -> None:
        _add_article(raw)
        _unplaced(raw)

    path = broken(tmp_path, two)
    with pytest.raises(GoldFormatError) as info:
        load_gold_timeline(path, cases)
    assert info.value.problems == [
        f"{path}: articles: no gold file with id 'no-such-article'",
        f"{path}: seed-002 trips T5 is in no event",
    ]
    assert str(info.value) == f"{path}: articles: no gold file with id 'no-such-article' (and 1 more problems)"


@pytest.mark.parametrize("text", ["{not json", "", '{"format": "summarizer-timeline-gold/1"'])
def test_a_timeline_that_is_not_json_is_a_gold_format_error(
    tmp_path: Path, cases: dict[str, GoldCase], text: str
) -> None:
    path = tmp_path / "timeline.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GoldFormatError) as info:
        load_gold_timeline(path, cases)
    (problem,) = info.value.problems
    assert problem.startswith(f"{path}: ") and "\n" not in problem
    assert "line 1 column" in problem  # the JSON parser's position


def test_load_gold_timelines_keeps_those_whose_articles_are_all_scored(cases: dict[str, GoldCase]) -> None:
    everything = load_gold_timelines(TIMELINES, list(cases.values()))
    assert [t.id for t in everything] == sorted(p.stem for p in TIMELINES.glob("*.json"))
    only_seeds = load_gold_timelines(TIMELINES, [cases[a] for a in SEED_IDS])
    assert [t.id for t in only_seeds] == ["seeds"]
    assert load_gold_timelines(ROOT / "no-such-folder", list(cases.values())) == []


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "[]",
        '{"format": "summarizer-timeline-gold/1", "articles": 5}',
    ],
)
def test_load_gold_timelines_reports_an_invalid_file(tmp_path: Path, cases: dict[str, GoldCase], text: str) -> None:
    (tmp_path / "broken.json").write_text(text, encoding="utf-8")
    with pytest.raises(GoldFormatError) as info:
        load_gold_timelines(tmp_path, list(cases.values()))
    assert info.value.problems[0].startswith(f"{tmp_path / 'broken.json'}: ")


def test_a_perfect_extraction_merges_every_pair_right(
    seeds: GoldTimeline, cases: dict[str, GoldCase], perfect: dict[str, ArticleSummary]
) -> None:
    items = pairs(perfect)
    t = build_timeline(items)
    s = score_merging(t, seeds, cases, dict(items))
    # E1 (three reports of the Singapore summit) gives 3 pairs, the October trip and the second summit one each
    assert (s.timeline, s.gold_events, s.events) == ("seeds", 14, 14)
    assert (s.correct, s.wrong, s.missed, s.unreachable) == (5, 0, 0, 0)
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)


def test_a_record_the_extraction_did_not_find_makes_its_pairs_unreachable(
    seeds: GoldTimeline, cases: dict[str, GoldCase], perfect: dict[str, ArticleSummary]
) -> None:
    items = pairs(perfect)
    without = perfect["seed-001"].model_copy(deep=True)
    without.trips = [r for r in without.trips if r.id != "T1"]  # the October trip, also in seed-000
    items = [(a, without if a == "seed-001" else s) for a, s in items]
    s = score_merging(build_timeline(items), seeds, cases, dict(items))
    assert (s.correct, s.wrong, s.missed, s.unreachable) == (4, 0, 0, 1)
    assert (s.precision, s.recall) == (1.0, 1.0)  # nobody could have merged that pair


def test_two_events_merged_into_one_count_wrong_pairs(
    seeds: GoldTimeline, cases: dict[str, GoldCase], perfect: dict[str, ArticleSummary]
) -> None:
    items = pairs(perfect)
    t = build_timeline(items)
    october, august = event_with(t, "seed-000", "T1"), event_with(t, "seed-001", "T2")  # two gold events
    merged = october.model_copy(update={"mentions": [*october.mentions, *august.mentions]})
    events = [merged if e is october else e for e in t.events if e is not august]
    s = score_merging(t.model_copy(update={"events": events}), seeds, cases, dict(items))
    # seed-001's August trip is paired with both October mentions: two wrong pairs
    assert (s.events, s.correct, s.wrong, s.missed, s.unreachable) == (13, 5, 2, 0, 0)
    assert (s.precision, s.recall) == (round(5 / 7, 4), 1.0)


def test_one_event_split_in_two_counts_missed_pairs(
    seeds: GoldTimeline, cases: dict[str, GoldCase], perfect: dict[str, ArticleSummary]
) -> None:
    items = pairs(perfect)
    t = build_timeline(items)
    singapore = event_with(t, "seed-001", "S2")
    assert len(singapore.mentions) == 3
    kept = [m for m in singapore.mentions if m.article != "seed-001"]
    alone = [m for m in singapore.mentions if m.article == "seed-001"]
    events = [e for e in t.events if e is not singapore]
    events += [
        singapore.model_copy(update={"mentions": kept}),
        singapore.model_copy(update={"id": "E99", "mentions": alone}),
    ]
    s = score_merging(t.model_copy(update={"events": events}), seeds, cases, dict(items))
    assert (s.correct, s.wrong, s.missed, s.unreachable) == (3, 0, 2, 0)
    assert (s.precision, s.recall, s.f1) == (1.0, 0.6, 0.75)


def test_merge_scores_skips_timelines_whose_articles_were_not_scored(
    cases: dict[str, GoldCase], perfect: dict[str, ArticleSummary]
) -> None:
    timelines = [load_gold_timeline(p, cases) for p in sorted(TIMELINES.glob("*.json"))]
    assert len(timelines) > 1
    seed_cases = [cases[a] for a in SEED_IDS]
    (only,) = merge_scores(seed_cases, [perfect[a].model_copy(deep=True) for a in SEED_IDS], timelines)
    assert (only.timeline, only.correct, only.f1) == ("seeds", 5, 1.0)
    assert merge_scores(seed_cases[:2], [perfect[a] for a in SEED_IDS[:2]], timelines) == []


def test_a_failed_article_contributes_nothing_and_its_pairs_are_unreachable(
    cases: dict[str, GoldCase], seeds: GoldTimeline, perfect: dict[str, ArticleSummary]
) -> None:
    seed_cases = [cases[a] for a in SEED_IDS]
    predictions: list[ArticleSummary | None] = [perfect["seed-000"], None, perfect["seed-002"]]
    (s,) = merge_scores(seed_cases, predictions, [seeds])
    # every gold pair with a seed-001 record: two of the Singapore summit's, the October trip's, the second summit's
    assert (s.correct, s.wrong, s.missed, s.unreachable) == (1, 0, 0, 4)
    assert score(seed_cases, predictions, [seeds]).timelines == [s]


def test_gold_summary_keeps_gold_ids_grounds_evidence_and_normalizes(cases: dict[str, GoldCase]) -> None:
    case = cases["seed-002"]
    out = gold_summary(case)
    for cat, golds in case.gold.records().items():
        recs = getattr(out, cat)
        assert [r.id for r in recs] == [g.id for g in golds]
        assert [r.evidence for r in recs] == [g.evidence for g in golds]
    text = case.article.text
    for rec in (r for rs in out.records().values() for r in rs):
        assert rec.grounded and len(rec.spans) == len(rec.evidence)
        for span in rec.spans:
            assert span.start is not None and span.end is not None and text[span.start : span.end] == span.quote
    assert out.published == case.gold.published and out.summary == case.gold.summary
    first = out.trips[0]
    assert (first.when, first.date, first.date_granularity) == ("July 5", "2018-07-05", "day")
    assert first.destination_codes == ["PRK", "PRK"]
    assert out.actors and "Mike Pompeo" in {a.name for a in out.actors}


def test_gold_summary_numbers_records_without_gold_ids_by_position() -> None:
    out = gold_summary(gold_case(trips=TRIPS, summits=SUMMITS))
    assert [t.id for t in out.trips] == ["T1", "T2"] and [s.id for s in out.summits] == ["S1"]
    assert all(r.grounded for rs in out.records().values() for r in rs)
    assert out.trips[0].evidence[0] in ARTICLE


def test_gold_summary_links_name_records_of_the_same_summary() -> None:
    trip = {**TRIPS[0], "id": "visit", "purpose": "prepare a second summit", "prepares": "second"}
    out = gold_summary(gold_case(trips=[trip], summits=[{**SUMMITS[0], "id": "second"}]))
    assert [s.id for s in out.summits] == ["second"]
    assert out.trips[0].prepares == "second"  # normalize's link names "S1"
