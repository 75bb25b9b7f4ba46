"""Record ids and links computed from the records' fields (summarizer.links)."""

from __future__ import annotations

from typing import Any

from summarizer.links import assign_ids, link
from summarizer.schemas import Commitment, Skepticism, Summit, Trip


def records() -> dict[str, list[Any]]:
    return {
        "trips": [
            Trip(traveler="Anna Berg", destinations=["Tokyo"], status="planned", purpose="prepare a second summit "
                 "between Holm and Sato", evidence=["Berg will fly to Tokyo to prepare the second summit."]),
            Trip(traveler="Per Dahl", destinations=["Brussels"], status="completed", purpose="trade talks",
                 evidence=["Dahl flew to Brussels on Friday."]),
        ],
        "summits": [
            Summit(participants=["Lars Holm", "Ken Sato"], location="Rio de Janeiro", status="completed", ordinal=1,
                   evidence=["Holm and Sato met in Rio de Janeiro."]),
            Summit(participants=["Lars Holm", "Ken Sato"], status="planned", ordinal=2,
                   evidence=["A second summit is planned for April."]),
        ],
        "commitments": [
            Commitment(actor="Lars Holm", action="sign a trade agreement with Japan", occasion="the Rio summit",
                       evidence=["At the Rio summit, Holm pledged to sign a trade agreement with Japan."]),
            Commitment(actor="Per Dahl", action="keep the European Union informed", occasion=None,
                       evidence=["He vowed to keep the EU informed."]),
        ],
        "skepticism": [
            Skepticism(holder="Eva Lind", target="the trade agreement with Japan", reason="no majority",
                       evidence=["Lind said the agreement would fail."]),
            Skepticism(holder="analysts", target="ties with Beijing", evidence=["Analysts warned about Beijing."]),
        ],
    }  # type: ignore[call-arg]  # fmt: skip


def test_ids_are_letter_and_position() -> None:
    recs = records()
    assign_ids(recs)
    assert [r.id for rs in recs.values() for r in rs] == ["T1", "T2", "S1", "S2", "C1", "C2", "K1", "K2"]


def test_links_follow_the_stated_relations_and_leave_the_rest_null() -> None:
    recs = records()
    assign_ids(recs)
    link(recs)
    assert [t.prepares for t in recs["trips"]] == ["S2", None]  # the planned second summit; Dahl's trip prepares none
    assert [c.made_at for c in recs["commitments"]] == ["S1", None]  # made at the Rio summit; no occasion, no link
    assert [k.doubts for k in recs["skepticism"]] == ["C1", None]  # the agreement; Beijing ties are no record


def test_a_commitment_is_never_made_at_a_summit_still_to_come() -> None:
    recs = records()
    recs["summits"] = recs["summits"][1:]
    recs["commitments"][0].occasion = "the second summit"
    assign_ids(recs)
    link(recs)
    assert recs["commitments"][0].made_at is None
