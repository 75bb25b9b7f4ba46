"""Scorer on hand-built cases, plus property tests of its invariants."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.eval.score import FieldScore, faithfulness, rouge_l, score

from ..support.cases import ARTICLE, COMMITMENTS, FULL, OUT, SKEPTICISM, SUMMITS, TRIPS, gold_case, prediction


def test_identical_prediction_scores_one() -> None:
    s = score([gold_case(**FULL)], [prediction(**FULL)])
    assert s.overall.f1 == 1.0
    for c in s.categories.values():
        assert c.micro.f1 == 1.0 and all(f.accuracy == 1.0 for f in c.fields.values())
    assert s.rouge_l == 1.0 and s.grounding_rate == 1.0


def test_permuting_records_changes_nothing() -> None:
    base = score([gold_case(**FULL)], [prediction(**FULL)])
    swapped = score([gold_case(**FULL)], [prediction(**{**FULL, "trips": TRIPS[::-1]})])
    assert swapped.model_dump(exclude={"per_article"}) == base.model_dump(exclude={"per_article"})


def test_paraphrased_but_correct_strings_still_match() -> None:
    pred = [{**COMMITMENTS[0], "actor": "Kim Jong-un", "action": "dismantle missile test site"}]
    s = score([gold_case(commitments=COMMITMENTS)], [prediction(commitments=pred)])
    assert s.categories["commitments"].micro.f1 == 1.0
    assert s.categories["commitments"].fields["actor"].accuracy == 1.0
    assert s.categories["commitments"].fields["action"].accuracy == 1.0


def test_surname_only_reference_matches_the_full_name() -> None:
    pred = [{**TRIPS[0], "traveler": "Pompeo"}]
    s = score([gold_case(trips=TRIPS[:1])], [prediction(trips=pred)])
    assert s.categories["trips"].fields["traveler"].accuracy == 1.0


def test_a_missing_record_lowers_recall_only() -> None:
    s = score([gold_case(trips=TRIPS)], [prediction(trips=TRIPS[:1])]).categories["trips"].micro
    assert (s.precision, s.recall) == (1.0, 0.5)


def test_an_extra_record_lowers_precision_only() -> None:
    s = score([gold_case(trips=TRIPS[:1])], [prediction(trips=TRIPS)]).categories["trips"].micro
    assert (s.precision, s.recall) == (0.5, 1.0)


def test_optional_gold_earns_credit_when_matched_and_costs_nothing_when_missed() -> None:
    gold = [TRIPS[0], {**TRIPS[1], "optional": True}]
    missed = score([gold_case(trips=gold)], [prediction(trips=TRIPS[:1])]).categories["trips"].micro
    found = score([gold_case(trips=gold)], [prediction(trips=TRIPS)]).categories["trips"].micro
    assert (missed.tp, missed.fn, missed.f1) == (1, 0, 1.0)
    assert (found.tp, found.fp, found.f1) == (2, 0, 1.0)


def test_empty_gold_and_empty_prediction() -> None:
    s = score([gold_case()], [prediction()])
    assert s.overall.f1 == 1.0 and s.negative_articles == 1 and s.negative_false_positives == 0


def test_spurious_records_on_a_negative_article_are_reported() -> None:
    s = score([gold_case()], [prediction(trips=TRIPS)])
    assert s.negative_false_positives == 2 and s.negative_fp_per_article == 2.0


def test_evidence_in_the_wrong_place_with_wrong_fields_is_no_match() -> None:
    wrong = [
        {
            **TRIPS[0],
            "traveler": "Korea watchers",
            "destinations": ["South Korea"],
            "evidence": ["Korea watchers worry it would lead to demands"],
        }
    ]
    s = score([gold_case(trips=TRIPS[:1])], [prediction(trips=wrong)]).categories["trips"].micro
    assert (s.tp, s.fp, s.fn) == (0, 1, 1)


def test_the_same_sentence_about_a_different_actor_is_no_match() -> None:
    """A Pompeo–Kim meeting citing the Trump–Kim summit's sentence shares one participant and the evidence: with the
    old rule (0.4 × evidence + 0.6 × key) that scored 0.70 and paired; the same-actor rule refuses it."""
    other = [{**SUMMITS[0], "participants": ["Mike Pompeo", "Kim Jong Un"]}]
    s = score([gold_case(summits=SUMMITS)], [prediction(summits=other)]).categories["summits"].micro
    assert (s.tp, s.fp, s.fn) == (0, 1, 1)
    wrong_actor = [{**COMMITMENTS[0], "actor": "Mike Pompeo"}]
    c = score([gold_case(commitments=COMMITMENTS)], [prediction(commitments=wrong_actor)]).categories["commitments"]
    assert (c.micro.tp, c.micro.fp, c.micro.fn) == (0, 1, 1)
    more = [{**SUMMITS[0], "participants": ["Trump", "Kim", "Moon Jae-in"]}]  # 2 of 3 shared: the same summit
    assert score([gold_case(summits=SUMMITS)], [prediction(summits=more)]).categories["summits"].micro.tp == 1


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("US", "United States", True),
        ("U.S.", "the United States", True),
        ("USA", "U.S.", True),
        ("North Korea", "Korea, Democratic People's Republic of", True),
        ("North Korea", "South Korea", False),
        ("Kim Jong-un", "Kim Jong Un", True),
        ("Pyongyang", "North Korea", False),
    ],
)
def test_country_forms_match_through_pycountry(a: str, b: str, same: bool) -> None:
    from summarizer.names import SAME_NAME, name_similarity

    assert (name_similarity(a, b) >= SAME_NAME) is same
    trip = [{**TRIPS[0], "destinations": [b]}]
    gold = [{**TRIPS[0], "destinations": [a]}]
    matched = score([gold_case(trips=gold)], [prediction(trips=trip)]).categories["trips"]
    assert (matched.fields["destinations"].accuracy == 1.0) is same


def test_recall_by_article_quarter_places_each_gold_record_by_its_first_quote() -> None:
    from summarizer.eval.score import quarter

    where = [quarter(ARTICLE, r["evidence"]) for r in (*TRIPS, *SUMMITS, *COMMITMENTS, *SKEPTICISM)]
    assert where == [0, 3, 2, 0, 1]  # Pompeo's trip, Moon's trip, the summit, Kim's pledge, the worry
    s = score([gold_case(**FULL)], [prediction(trips=TRIPS[:1], summits=SUMMITS)])
    assert s.recall_by_quarter == [0.5, 0.0, 1.0, 0.0]
    assert score([gold_case()], [prediction()]).recall_by_quarter == [None, None, None, None]


def test_a_failed_article_misses_all_required_gold() -> None:
    s = score([gold_case(**FULL)], [None])
    assert s.overall.tp == 0 and s.overall.fn == 5 and s.schema_valid_rate == 0.0


def test_field_rules_dates_at_coarser_granularity_and_exact_enums() -> None:
    pred = [{**TRIPS[0], "date": "2018-10-07", "status": "proposed"}]
    fields = score([gold_case(trips=TRIPS[:1])], [prediction(trips=pred)]).categories["trips"].fields
    assert fields["date"].accuracy == 1.0 and fields["status"].accuracy == 0.0


def test_rouge_l_and_faithfulness() -> None:
    assert rouge_l("Pompeo will visit North Korea", "Pompeo will visit North Korea") == 1.0
    assert rouge_l("a b c", "x y z") == 0.0
    assert faithfulness("Pompeo met Kim Jong Un in 2018.", "Pompeo and Kim Jong Un met. It was 2018.") == 1.0
    assert faithfulness("Pompeo met Putin.", "Pompeo met Kim.") == 0.5


records = st.sampled_from(
    [("trips", r) for r in TRIPS]
    + [("summits", r) for r in SUMMITS]
    + [("commitments", r) for r in COMMITMENTS]
    + [("skepticism", r) for r in SKEPTICISM]
)


def _group(items: list[tuple[str, dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {c: [] for c in OUT}
    for cat, r in items:
        if r not in out[cat]:
            out[cat].append(r)
    return out


@settings(max_examples=40, deadline=None)
@given(st.lists(records, max_size=5), st.lists(records, max_size=5), st.randoms())
def test_properties_order_invariance_and_bounds(
    gold_items: list[Any], pred_items: list[Any], rnd: random.Random
) -> None:
    gold, pred = _group(gold_items), _group(pred_items)
    s1 = score([gold_case(**gold)], [prediction(**pred)])
    shuffled = {k: rnd.sample(v, len(v)) for k, v in pred.items()}
    s2 = score([gold_case(**gold)], [prediction(**shuffled)])
    assert s1.overall.model_dump() == s2.overall.model_dump()
    for c in s1.categories.values():
        assert 0.0 <= c.micro.precision <= 1.0 and 0.0 <= c.micro.recall <= 1.0
    n_pred = sum(map(len, pred.values()))
    n_gold = sum(map(len, gold.values()))
    assert s1.overall.tp + s1.overall.fp == n_pred
    assert s1.overall.tp + s1.overall.fn == n_gold


@settings(max_examples=25, deadline=None)
@given(st.lists(records, min_size=1, max_size=5))
def test_property_identical_prediction_is_perfect(items: list[Any]) -> None:
    g = _group(items)
    assert score([gold_case(**g)], [prediction(**g)]).overall.f1 == 1.0


@pytest.mark.parametrize("extra", range(1, 4))
def test_property_extra_records_never_raise_recall_or_precision(extra: int) -> None:
    base = score([gold_case(trips=TRIPS[:1])], [prediction(trips=TRIPS[:1])]).categories["trips"].micro
    more = (
        score([gold_case(trips=TRIPS[:1])], [prediction(trips=TRIPS[:1] + [TRIPS[1]] * extra)])
        .categories["trips"]
        .micro
    )
    assert more.recall == base.recall and more.precision < base.precision


def test_the_hallucination_guard_counts_records_whose_evidence_is_not_in_the_article() -> None:
    invented = {**TRIPS[0], "evidence": ["Pompeo flew to Mars aboard a rocket last spring"]}
    s = score([gold_case(**FULL)], [prediction(**{**FULL, "trips": [invented, TRIPS[1]]})])
    assert s.ungrounded_records == 1 and s.grounding_rate < 1.0


# Links, actor names and place codes, on matched pairs. Gold and predicted ids differ on purpose: a link is judged by
# the record it points to (through the matching), not by its id string.
LINKED_GOLD = {
    "trips": [{**TRIPS[0], "id": "T1", "prepares": "S1"}],
    "summits": [{**SUMMITS[0], "id": "S1"}],
    "commitments": [{**COMMITMENTS[0], "id": "C1", "made_at": "S1"}],
    "skepticism": [{**SKEPTICISM[0], "id": "K1", "doubts": "C1"}],
}
MOON_SUMMIT = {
    "participants": ["Moon Jae-in", "Kim Jong Un"],
    "location": "Pyongyang",
    "status": "completed",
    "evidence": ["Moon Jae-in visited Pyongyang last week"],
}


def test_links_right_wrong_and_missed_are_counted_per_category() -> None:
    pred = {
        "trips": [{**TRIPS[0], "id": "T1", "prepares": "S7"}],  # right: S7 is matched with the gold's S1
        "summits": [{**SUMMITS[0], "id": "S7"}],
        "commitments": [{**COMMITMENTS[0], "id": "C1"}],  # missed: no made_at
        "skepticism": [{**SKEPTICISM[0], "id": "K1", "doubts": "S7"}],  # wrong: the summit, not the commitment
    }
    s = score([gold_case(**LINKED_GOLD)], [prediction(**pred)])
    assert s.overall.f1 == 1.0  # every record matched: only the links differ
    counts = {cat: (c.tp, c.fp, c.fn) for cat, c in s.per_article[0].links.items()}
    assert counts == {"trips": (1, 0, 0), "commitments": (0, 0, 1), "skepticism": (0, 1, 1)}
    assert {cat: (p.precision, p.recall) for cat, p in s.links.items()} == {
        "trips": (1.0, 1.0),
        "commitments": (1.0, 0.0),
        "skepticism": (0.0, 0.0),
    }


def test_a_link_to_an_unmatched_record_is_wrong_even_with_the_gold_id() -> None:
    gold = gold_case(trips=LINKED_GOLD["trips"], summits=LINKED_GOLD["summits"])
    summits = [{**MOON_SUMMIT, "id": "S1"}, {**SUMMITS[0], "id": "S2"}]  # the gold's summit is the prediction's S2
    right = score([gold], [prediction(trips=[{**TRIPS[0], "prepares": "S2"}], summits=summits)]).links["trips"]
    wrong = score([gold], [prediction(trips=[{**TRIPS[0], "prepares": "S1"}], summits=summits)]).links["trips"]
    assert (right.tp, right.fp, right.fn) == (1, 0, 0)
    assert (wrong.tp, wrong.fp, wrong.fn) == (0, 1, 1)


def test_a_predicted_link_the_gold_lacks_is_a_false_positive_and_unlinked_pairs_count_nothing() -> None:
    gold = gold_case(trips=[{**TRIPS[0], "id": "T1"}], summits=LINKED_GOLD["summits"])
    extra = score([gold], [prediction(trips=[{**TRIPS[0], "prepares": "S1"}], summits=[{**SUMMITS[0], "id": "S1"}])])
    assert (extra.links["trips"].tp, extra.links["trips"].fp, extra.links["trips"].fn) == (0, 1, 0)
    none = score([gold], [prediction(trips=TRIPS[:1], summits=[{**SUMMITS[0], "id": "S1"}])]).links["trips"]
    assert (none.tp, none.fp, none.fn) == (0, 0, 0)
    unmatched = [TRIPS[0], {**TRIPS[1], "prepares": "S1"}]  # Moon's trip matches no gold trip: its link is not scored
    assert score([gold], [prediction(trips=unmatched, summits=[{**SUMMITS[0], "id": "S1"}])]).links["trips"].fp == 0
    assert score([gold], [None]).links["trips"].model_dump() == {
        "tp": 0, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0
    }  # fmt: skip


def test_actor_names_count_the_gold_full_name_not_a_surname() -> None:
    pred = {
        "trips": [{**TRIPS[0], "traveler": "Pompeo"}],  # matched, but not the full name
        "summits": [{**SUMMITS[0], "participants": ["Donald Trump", "Kim Jong-un"]}],  # equal under norm
        "commitments": [{**COMMITMENTS[0], "actor": "Kim"}],
        "skepticism": SKEPTICISM,
    }
    s = score([gold_case(**FULL)], [prediction(**pred)])
    assert s.categories["trips"].fields["traveler"].accuracy == 1.0  # the matching's rule takes the surname
    assert s.per_article[0].actor_names == [0.0, 1.0, 0.0, 1.0]  # trips, summits, commitments, skepticism
    assert s.actor_names is not None and (s.actor_names.accuracy, s.actor_names.support) == (0.5, 4)
    assert score([gold_case(**FULL)], [prediction(**FULL)]).actor_names == FieldScore(accuracy=1.0, support=5)
    assert score([gold_case(**FULL)], [prediction()]).actor_names is None  # no matched pair


def test_place_codes_compare_the_iso_codes_of_the_gold_places() -> None:
    gold_summit = {**SUMMITS[0], "location": "Singapore"}
    gold = gold_case(trips=TRIPS, summits=[gold_summit])
    pred = {
        "trips": [
            {**TRIPS[0], "destination_codes": ["PRK"]},  # North Korea
            {**TRIPS[1], "destination_codes": ["KOR"]},  # Pyongyang is in North Korea
        ],
        "summits": [{**gold_summit, "location_code": "SGP"}],
    }
    s = score([gold], [prediction(**pred)])
    assert s.per_article[0].place_codes == [1.0, 0.0, 1.0]
    assert s.place_codes is not None and (s.place_codes.accuracy, s.place_codes.support) == (round(2 / 3, 4), 3)
    unnormalized = score([gold], [prediction(trips=TRIPS, summits=[gold_summit])])  # no codes at all
    assert unnormalized.per_article[0].place_codes == [0.0, 0.0, 0.0]


def test_places_without_a_known_code_are_not_scored() -> None:
    gold = gold_case(trips=[{**TRIPS[0], "destinations": ["North Korea", "Panmunjom"]}], summits=SUMMITS)
    pred = prediction(trips=[{**TRIPS[0], "destination_codes": ["PRK", None]}], summits=SUMMITS)
    s = score([gold], [pred])
    assert s.per_article[0].place_codes == [1.0]  # Panmunjom has no code; the summit has no location
    no_place = score([gold_case(summits=SUMMITS)], [prediction(summits=SUMMITS)])
    assert no_place.place_codes is None


def test_place_codes_must_be_the_same_set_not_one_in_common() -> None:
    gold = gold_case(trips=[{**TRIPS[0], "destinations": ["North Korea", "Tokyo"]}])
    codes = [["PRK", "JPN"], ["JPN", "PRK", "PRK"], ["PRK", None], ["PRK", "JPN", "KOR"]]
    got = [score([gold], [prediction(trips=[{**TRIPS[0], "destination_codes": c}])]).place_codes for c in codes]
    assert [g.accuracy if g else None for g in got] == [1.0, 1.0, 0.0, 0.0]  # Tokyo missed; Seoul's KOR extra
