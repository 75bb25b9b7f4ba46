"""Merging the trips and summits of several summaries into events (summarizer.timeline, timeline_render)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from summarizer.schemas import ArticleSummary, Granularity, Span, Status, Summit, Trip
from summarizer.timeline import build_timeline
from summarizer.timeline_render import CSV_COLUMNS, render_timeline


def trip(rid: str, status: Status, date: str | None, gran: Granularity | None, *, ordinal: int | None = None,
         dest: str = "Tokyo", code: str | None = "JPN", traveler: str = "Anna Berg") -> Trip:  # fmt: skip
    quote = f"{traveler} travels to {dest} ({rid})"
    return Trip(
        id=rid, traveler=traveler, destinations=[dest], destination_codes=[code], status=status, date=date,
        date_granularity=gran, when=None, ordinal=ordinal, evidence=[quote],
        spans=[Span(quote=quote, start=0, end=len(quote), method="exact", score=100.0)], grounded=True,
    )  # type: ignore[arg-type]  # fmt: skip


def summit(
    rid: str, status: Status, date: str | None, gran: Granularity | None, *, ordinal: int | None = None
) -> Summit:
    quote = f"Holm and Sato meet ({rid})"
    return Summit(
        id=rid, participants=["Lars Holm", "Ken Sato"], status=status, date=date, date_granularity=gran,
        ordinal=ordinal, evidence=[quote], spans=[Span(quote=quote, start=0, end=len(quote))],
    )  # type: ignore[arg-type]  # fmt: skip


def article(published: str, trips: list[Trip] = (), summits: list[Summit] = ()) -> ArticleSummary:  # type: ignore[assignment]
    return ArticleSummary(
        published=dt.date.fromisoformat(published), summary="s", trips=list(trips), summits=list(summits)
    )


def story() -> list[tuple[str, ArticleSummary]]:
    """An invented story: a July trip, an October trip announced then dated, a summit it prepares."""
    # fmt: off
    return [
        ("b", article("2018-10-02", [trip("T1", "planned", "2018-10-07", "day"),
                                     trip("T2", "completed", "2018-07-06", "day", ordinal=3)],
                      [summit("S1", "planned", None, None, ordinal=2)])),
        ("a", article("2018-09-26", [trip("T1", "planned", "2018-10", "month")],
                      [summit("S1", "proposed", None, None, ordinal=2)])),
        ("c", article("2018-10-08", [trip("T1", "completed", "2018-10-07", "day", ordinal=4),
                                     trip("T2", "completed", "2018-07", "month", ordinal=3)])),
    ]
    # fmt: on


def events(t: Any) -> dict[str, Any]:
    return {" ".join(f"{m.article}:{m.record}" for m in e.mentions): e for e in t.events}


def test_one_trip_reported_three_times_is_one_event_with_its_latest_status() -> None:
    t = build_timeline(story())
    by = events(t)
    assert set(by) == {"a:T1 b:T1 c:T1", "b:T2 c:T2", "a:S1 b:S1"}
    october = by["a:T1 b:T1 c:T1"]
    assert october.status == "completed"
    assert [h.status for h in october.history] == ["planned", "planned", "completed"]
    assert (october.date, october.date_granularity) == ("2018-10-07", "day")
    summit_event = by["a:S1 b:S1"]
    assert summit_event.status == "planned" and summit_event.ordinal == 2 and summit_event.date is None


def test_events_are_sorted_by_date_undated_last_and_numbered_in_that_order() -> None:
    t = build_timeline(story())
    assert [e.date for e in t.events] == ["2018-07-06", "2018-10-07", None]
    assert [e.id for e in t.events] == ["E1", "E2", "E3"]
    assert [a.id for a in t.articles] == ["a", "b", "c"]


def test_disagreeing_dates_within_the_slack_are_one_event_with_a_conflict() -> None:
    items = [
        ("x", article("2018-10-01", [trip("T1", "planned", "2018-10-07", "day")])),
        ("y", article("2018-10-03", [trip("T1", "planned", "2018-10-08", "day")])),
    ]
    (e,) = build_timeline(items).events
    assert e.conflicts == ["date: 2018-10-07 (x) vs 2018-10-08 (y)"]


def test_dates_far_apart_or_other_travelers_or_places_are_separate_events() -> None:
    items = [
        ("x", article("2018-10-01", [trip("T1", "planned", "2018-10-07", "day")])),
        ("y", article("2018-10-03", [trip("T1", "planned", "2019-03", "month")])),
        ("z", article("2018-10-03", [trip("T1", "planned", "2018-10-07", "day", traveler="Per Dahl")])),
        ("w", article("2018-10-04", [trip("T1", "planned", "2018-10-07", "day", dest="Seoul", code="KOR")])),
    ]
    assert len(build_timeline(items).events) == 4


def test_a_plan_reported_after_a_completed_trip_is_the_next_trip() -> None:
    items = [
        ("x", article("2018-07-08", [trip("T1", "completed", None, None)])),
        ("y", article("2018-09-26", [trip("T1", "planned", None, None)])),
    ]
    assert len(build_timeline(items).events) == 2


def test_one_article_gives_at_most_one_record_to_an_event() -> None:
    items = [("x", article("2018-10-01", [trip("T1", "planned", None, None), trip("T2", "planned", None, None)]))]
    assert len(build_timeline(items).events) == 2


def test_places_match_by_iso_code_when_names_differ() -> None:
    items = [
        ("x", article("2018-10-01", [trip("T1", "planned", "2018-10", "month", dest="North Korea", code="PRK")])),
        ("y", article("2018-10-03", [trip("T1", "planned", "2018-10-07", "day", dest="Pyongyang", code="PRK")])),
    ]
    (e,) = build_timeline(items).events
    assert e.places == ["North Korea", "Pyongyang"] and e.place_codes == ["PRK"]


def test_renderings_carry_every_event() -> None:
    t = build_timeline(story())
    md = render_timeline(t, "markdown")
    assert md.startswith("# Timeline: 3 events from 3 articles")
    assert "planned (2018-09-26, a) → planned (2018-10-02, b) → completed (2018-10-08, c)" in md
    rows = list(csv.DictReader(io.StringIO(render_timeline(t, "csv"))))
    assert tuple(rows[0]) == CSV_COLUMNS and [r["id"] for r in rows] == ["E1", "E2", "E3"]
    data = json.loads(render_timeline(t, "json"))
    assert data["format"] == "summarizer-timeline/1" and len(data["events"]) == 3
    assert data["events"][1]["mentions"][0]["evidence"][0]["quote"] == "Anna Berg travels to Tokyo (T1)"
