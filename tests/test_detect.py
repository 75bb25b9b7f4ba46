"""The detect pipeline against a scripted endpoint: scores every sentence, fills only flagged ones, summary last."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from typing import Any

import pytest
from pydantic import SecretStr

from summarizer import ArticleSummary, Settings
from summarizer.articles import Article
from summarizer.backends import connect
from summarizer.choices import PipelineName
from summarizer.detect import fill_model
from summarizer.examples import LETTERS, NONE_LETTER, diplomatic_example, prompt_context
from summarizer.pipeline import run
from summarizer.plans import (
    ANCHOR,
    MAX_RECORDS,
    NARROW_TOP,
    PLANS,
    THRESHOLDS,
    VERIFY,
    VERSUS_NONE,
    WIDE_TOP,
    flag_score,
)
from summarizer.prompts import prefix_messages
from summarizer.schemas import Cited

from .fake_openai import FakeEndpoint, completion, reply

TEXT = (
    "Mike Pompeo will travel to Pyongyang next month. "
    "The weather was mild. "
    "Critics doubt that North Korea will ever disarm."
)


def _token(probs: dict[str, float]) -> dict[str, object]:
    best = max(probs, key=lambda k: probs[k])
    top = [{"token": k, "logprob": math.log(v), "bytes": None} for k, v in probs.items()]
    return {"token": best, "logprob": math.log(probs[best]), "bytes": None, "top_logprobs": top}


def letter(probs: dict[str, float]) -> dict[str, object]:
    """A one-token answer whose top log-probabilities are ``probs``."""
    return letters(1, [probs])


def letters(first: int, lines: list[dict[str, float]]) -> dict[str, object]:
    """A window's answer, ``[n] X`` lines from ``first``: the forced tokens, and each letter with ``probs``."""
    tokens: list[dict[str, object]] = []
    for n, probs in enumerate(lines, first):
        if len(lines) > 1:
            tokens += [_token({f"[{n}]": 1.0}), _token({" ": 1.0})]
        tokens.append(_token(probs))
        tokens.append(_token({"\n": 1.0}))
    text = "".join(str(t["token"]) for t in tokens)
    body = completion(content=text, finish="stop", usage=(900, len(tokens)))
    body["choices"][0]["logprobs"] = {"content": tokens[: -1 if len(lines) > 1 else 1]}
    return body


def content(data: dict[str, object]) -> dict[str, object]:
    return completion(content=json.dumps(data), finish="stop")


TRIP = {"sentences": [1], "traveler": "Mike Pompeo", "traveler_role": None, "destinations": ["Pyongyang"],
        "when": "next month", "date": None, "purpose": None, "status": "planned", "ordinal": None}  # fmt: skip
DOUBT = {"sentences": [3], "holder": "Critics", "target": "North Korea's disarmament", "reason": None}


def script(detection: list[object]) -> list[object]:
    return [
        *detection,
        reply(content({"records": [TRIP, {**TRIP, "when": None, "purpose": "talks"}]})),  # one trip, told twice
        reply(letter({"Y": 0.9, "N": 0.1})),  # the check of the (merged) trip
        reply(content({"records": []})),  # commitments: the fill step finds none
        reply(content({"records": [DOUBT]})),
        reply(letter({"Y": 0.3, "N": 0.7})),  # the check of the doubt
        reply(content({"summary": "Pompeo will visit Pyongyang; critics doubt disarmament."})),
    ]


LINES = [
    {"T": 0.7, "S": 0.1, "N": 0.2},  # [1]: a trip, and a little summit
    {"N": 0.9, "T": 0.05, "K": 0.05},  # [2]: nothing reaches a threshold
    {"K": 0.6, "C": 0.25, "N": 0.15},  # [3]: skepticism, and commitment above its threshold
]


def run_detect(pipeline: PipelineName, detection: list[object]) -> tuple[ArticleSummary, list[dict[str, Any]]]:
    with FakeEndpoint(script(detection)) as fake:  # type: ignore[arg-type]
        settings = Settings(base_url=fake.url, api_key=SecretStr("sk-x"), pipeline=pipeline, mode="GRAMMAR")
        with connect(settings) as conn:
            result = run(conn, Article("a.txt", TEXT), settings)
    return result, [r["body"] for r in fake.requests]


def test_every_sentence_is_scored_and_only_flagged_ones_are_filled_and_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("summarizer.plans.VERIFY", {**VERIFY, "skepticism": 0.2, "trips": 0.5})
    result, bodies = run_detect("detect", [reply(letter(p)) for p in LINES])
    assert len(bodies) == 9
    assert all(b["logprobs"] and b["max_tokens"] == 1 for b in (*bodies[:3], bodies[4], bodies[7]))
    assert bodies[0]["messages"][-1]["content"] == "Sentence [1]: Mike Pompeo will travel to Pyongyang next month."
    doubt = "[3] Critics doubt that North Korea will ever disarm."
    assert [b["messages"][-1]["content"] for b in bodies[3:]] == [
        "Records: trips from sentences [1]\n[1] Mike Pompeo will travel to Pyongyang next month.",
        "Check trips: a trip by Mike Pompeo to Pyongyang (planned)\n> Mike Pompeo will travel to Pyongyang next month.",
        f"Records: commitments from sentences [3]\n{doubt}",
        f"Records: skepticism from sentences [3]\n{doubt}",
        "Check skepticism: doubt about North Korea's disarmament, voiced by Critics\n> " + doubt[4:],
        "Summary",
    ]
    # One system prompt and the article first in every call: the server's cache reuses them.
    assert len({json.dumps(b["messages"][:2]) for b in bodies}) == 1
    assert '"enum": [1]' in bodies[3]["grammar"] or '"const": 1' in bodies[3]["grammar"]  # cites only [1]
    assert [t.traveler for t in result.trips] == ["Mike Pompeo"] and result.trips[0].grounded  # merged: one event
    assert (result.trips[0].when, result.trips[0].purpose) == ("next month", "talks")  # empty fields filled
    assert [k.holder for k in result.skepticism] == ["Critics"] and not result.commitments and not result.summits
    assert result.trips[0].evidence == ["Mike Pompeo will travel to Pyongyang next month."]
    assert result.meta is not None and result.meta.sentence_scores is not None
    assert result.meta.sentence_scores[0]["T"] == pytest.approx(0.7) and len(result.meta.sentence_scores) == 3
    assert result.trips[0].score == pytest.approx(0.9) and result.skepticism[0].score == pytest.approx(0.3)
    assert result.meta.usage.calls == 9 and result.summary.startswith("Pompeo will visit")


def test_a_check_below_its_threshold_drops_the_record(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("summarizer.plans.VERIFY", {**VERIFY, "skepticism": 0.5, "trips": 0.5})
    result, _ = run_detect("detect", [reply(letter(p)) for p in LINES])
    assert [t.traveler for t in result.trips] == ["Mike Pompeo"] and not result.skepticism  # P(Y) 0.3 < 0.5


@pytest.mark.parametrize(("anchor", "kept"), [(0.7, ["Mike Pompeo"]), (0.71, [])])
def test_a_record_needs_one_sentence_scored_at_its_anchor(
    monkeypatch: pytest.MonkeyPatch, anchor: float, kept: list[str]
) -> None:
    """Sentence [1] scored P(T) 0.7: the trip citing it survives an anchor of 0.7, not of 0.71 (same calls)."""
    monkeypatch.setattr("summarizer.plans.VERIFY", {**VERIFY, "trips": 0.5})
    monkeypatch.setitem(PLANS, "detect", replace(PLANS["detect"], anchor={**ANCHOR[1], "trips": anchor}))
    result, bodies = run_detect("detect", [reply(letter(p)) for p in LINES])
    assert [t.traveler for t in result.trips] == kept and len(bodies) == 9


@pytest.mark.parametrize(("cue", "kept"), [(r"travel", ["Mike Pompeo"]), (r"\bpledg\w*", [])])
def test_a_record_of_a_cued_category_needs_a_cue_word_in_its_evidence(
    monkeypatch: pytest.MonkeyPatch, cue: str, kept: list[str]
) -> None:
    """The cue rule, tried on trips: the trip survives a cue its sentence has, not one it lacks (same calls)."""
    import re

    monkeypatch.setattr("summarizer.plans.VERIFY", {**VERIFY, "trips": 0.5})
    monkeypatch.setattr("summarizer.plans.CUES", {"trips": re.compile(cue, re.I)})
    result, bodies = run_detect("detect", [reply(letter(p)) for p in LINES])
    assert [t.traveler for t in result.trips] == kept and len(bodies) == 9


@pytest.mark.parametrize(
    ("sentence", "cued"),
    [
        ("Kim pledged to dismantle a missile test site.", True),
        ("The two sides agreed to resume talks in March.", True),
        ("Pompeo accepted Chairman Kim's invitation to travel to Pyongyang.", True),
        ("The president will sign the accord on Friday.", True),
        ("The opposition demands that Dahl publish the draft.", False),
        ("Holm praised the talks as friendly and productive.", False),
    ],
)
def test_the_commitment_cue_is_the_guides_words(sentence: str, cued: bool) -> None:
    from summarizer.plans import CUES

    assert bool(CUES["commitments"].search(sentence)) is cued


def test_windows_read_one_letter_per_grammar_forced_line(monkeypatch: pytest.MonkeyPatch) -> None:
    window = replace(PLANS["detect-window"], thresholds=THRESHOLDS[1], anchor=THRESHOLDS[1])
    monkeypatch.setitem(PLANS, "detect-window", window)
    monkeypatch.setattr("summarizer.plans.VERIFY", dict.fromkeys(VERIFY, 0.0))
    result, bodies = run_detect("detect-window", [reply(letters(1, LINES))])
    assert len(bodies) == 7 and bodies[0]["messages"][-1]["content"] == "Sentences [1] to [3]"
    grammar = 'start: "[1] " L "\\n" "[2] " L "\\n" "[3] " L\nL: "T" | "S" | "C" | "K" | "N"\n'
    assert bodies[0]["grammar"].endswith(grammar)
    assert result.meta is not None and result.meta.sentence_scores is not None
    assert [round(p["K"], 2) for p in result.meta.sentence_scores] == [0.0, 0.05, 0.6]
    assert [t.traveler for t in result.trips] == ["Mike Pompeo"]
    assert [k.holder for k in result.skepticism] == ["Critics"]


def test_a_category_scores_against_none_alone_in_scan() -> None:
    """[1] of LINES: T 0.7, S 0.1, N 0.2: S has a tenth of the five-way mass but a third against N."""
    assert flag_score(LINES[0], "S") == pytest.approx(0.1)
    assert flag_score({**LINES[0], "C": 0.0, "K": 0.0}, "S", versus_none=True) == pytest.approx(1 / 3)
    assert flag_score({"T": 0.0, "N": 0.0}, "T", versus_none=True) == 0.0


def test_scan_asks_detects_questions_and_fills_without_the_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Against N: [1] T 0.78 (flagged), S 0.33 (under 0.5); [3] K 0.8, C 0.63 with the cue word "will"."""
    monkeypatch.setattr("summarizer.plans.VERIFY", {**VERIFY, "skepticism": 0.2, "trips": 0.5})
    _, detect_bodies = run_detect("detect", [reply(letter(p)) for p in LINES])
    result, bodies = run_detect("scan", [reply(letter(p)) for p in LINES])
    assert bodies[:3] == detect_bodies[:3]  # the same questions, byte for byte: a recording of one answers the other
    assert bodies[-1] == detect_bodies[-1]  # and the same summary request: a recording of one serves the other
    fills = [b for b in bodies if b["messages"][-1]["content"].startswith("Records:")]
    assert [f["messages"][-1]["content"].split("\n")[0] for f in fills] == [
        "Records: trips from sentences [1]", "Records: commitments from sentences [3]",
        "Records: skepticism from sentences [3]",
    ]  # fmt: skip
    assert all('"date"' not in f["grammar"] for f in fills) and '"date"' in detect_bodies[3]["grammar"]
    assert [(t.traveler, t.when) for t in result.trips] == [("Mike Pompeo", "next month")]
    assert [k.holder for k in result.skepticism] == ["Critics"]
    assert VERSUS_NONE["trips"] <= flag_score(LINES[0], "T", versus_none=True)


@pytest.mark.parametrize(
    ("top", "cue_first", "shown"),
    [(None, False, (1, 2, 3, 4)), (2, False, (2, 4)), (None, True, (1, 3)), (1, True, (3,))],
)
def test_the_fill_is_shown_the_best_flagged_sentences_in_article_order(
    top: int | None, cue_first: bool, shown: tuple[int, ...]
) -> None:
    from summarizer.detect import shown_sentences

    plan = replace(PLANS["scan"], top=top, cue_first=cue_first)
    scores = [{"C": c, "N": 1 - c, "T": 0.0, "S": 0.0, "K": 0.0} for c in (0.5, 0.9, 0.6, 0.95, 0.1)]
    texts = ["They will meet.", "No cue here.", "She pledged aid.", "Nor here.", "He will sign."]
    assert shown_sentences(plan, "commitments", scores, texts) == shown


def test_fill_records_require_every_field_and_cite_only_the_flagged_sentences() -> None:
    from pydantic import ValidationError

    model = fill_model("trips", (1, 4))
    schema = model.model_json_schema()
    (record,) = schema["$defs"].values()
    assert set(record["required"]) == set(record["properties"])  # nullable, but never skipped
    model.model_validate({"records": [TRIP]})
    with pytest.raises(ValidationError):
        model.model_validate({"records": [{**TRIP, "sentences": [2]}]})
    with pytest.raises(ValidationError):
        model.model_validate({"records": [{k: v for k, v in TRIP.items() if k != "purpose"}]})


def test_the_worked_example_is_typed_data_that_agrees_with_itself() -> None:
    ex = diplomatic_example()
    assert len(ex.labels) == len(ex.sentences)
    assert ex.labels.count(NONE_LETTER) * 3 >= len(ex.labels)  # most sentences of an article report nothing
    for cat, letter_ in LETTERS.items():
        assert len(ex.records[cat]) >= 2  # several records per category
        labelled = {n for n, x in enumerate(ex.labels, 1) if x == letter_}
        assert labelled and labelled <= set(ex.cited(cat))  # a labelled sentence is cited by a record of its kind
        assert max(ex.cited(cat)) > len(ex.sentences) // 2 or cat == "summits"  # records late in the text too
        decoys = set(ex.decoys[cat])  # shown to the fill step, reporting nothing, so left out of its answer
        assert decoys and all(ex.labels[n - 1] == NONE_LETTER for n in decoys) and not decoys & set(ex.cited(cat))
        assert set(ex.flagged(cat)) == set(ex.cited(cat)) | decoys
        rejected = ex.rejected[cat]  # the check's N example: a decoy's record
        assert isinstance(rejected, Cited) and set(rejected.sentences) <= decoys
        for rec in ex.records[cat]:
            assert isinstance(rec, Cited) and all(1 <= n <= len(ex.sentences) for n in rec.sentences)
            fill_model(cat, tuple(range(1, len(ex.sentences) + 1))).model_validate({"records": [rec.model_dump()]})
    system = prefix_messages("detect", None, Settings())[0]["content"]
    assert all(s in system for s in ex.sentences) and str(prompt_context()["example_summary"]) in system


def test_thresholds_are_probabilities() -> None:
    for thresholds in THRESHOLDS.values():
        assert set(thresholds) == set(LETTERS) and all(0 < t < 1 for t in thresholds.values())
    assert set(VERIFY) == set(LETTERS) and all(0 <= t < 1 for t in VERIFY.values())
    for window, anchors in ANCHOR.items():  # an anchor below the flag threshold would be no rule at all
        assert set(anchors) == set(LETTERS) and all(anchors[c] >= THRESHOLDS[window][c] for c in anchors)
    assert set(VERSUS_NONE) == set(LETTERS) and all(0 < t < 1 for t in VERSUS_NONE.values())
    for plan in PLANS.values():
        assert plan.anchor is None or all(plan.anchor[c] >= plan.thresholds[c] for c in plan.anchor)
        assert plan.verify is None or (
            set(plan.verify) == set(LETTERS) and all(0 <= t < 1 for t in plan.verify.values())
        )


def test_sift_asks_scans_questions_and_the_commitments_fill_names_the_speaker_first() -> None:
    """``sift`` differs from ``scan`` in one request: the commitments fill, whose records say who speaks before
    who is bound. The speaker is not part of the output record."""
    trip = {k: v for k, v in TRIP.items() if k != "date"}
    pledge: dict[str, object] = {"sentences": [3], "speaker": "Critics", "actor": "North Korea", "action": "disarm",
              "counterparty": None, "occasion": None}  # fmt: skip
    doubt = {"sentences": [3], "holder": "Critics", "target": "North Korea's disarmament", "reason": None}

    def ask(pipeline: PipelineName, commitment: dict[str, object]) -> tuple[ArticleSummary, list[dict[str, Any]]]:
        steps = [
            *[reply(letter(p)) for p in LINES],
            reply(content({"records": [trip]})),
            reply(letter({"Y": 0.9, "N": 0.1})),
            reply(content({"records": [commitment]})),
            reply(letter({"Y": 0.9, "N": 0.1})),  # above both pipelines' commitment thresholds
            reply(content({"records": [doubt]})),
            reply(letter({"Y": 0.7, "N": 0.3})),  # above both pipelines' skepticism thresholds
            reply(content({"summary": "Pompeo will visit Pyongyang."})),
        ]
        with FakeEndpoint(steps) as fake:  # type: ignore[arg-type]
            settings = Settings(base_url=fake.url, api_key=SecretStr("sk-x"), pipeline=pipeline, mode="GRAMMAR")
            with connect(settings) as conn:
                result = run(conn, Article("a.txt", TEXT), settings)
        return result, [r["body"] for r in fake.requests]

    _, scan = ask("scan", {k: v for k, v in pledge.items() if k != "speaker"})
    result, sift = ask("sift", pledge)
    assert len(sift) == len(scan) == 10
    differ = [n for n, (a, b) in enumerate(zip(scan, sift, strict=True)) if a != b]
    assert differ == [5]  # the commitments fill; its check of the same record is scan's, byte for byte
    grammar = sift[5]["grammar"]
    assert grammar.index('"sentences"') < grammar.index('"speaker"') < grammar.index('"actor"')
    assert '"speaker"' not in scan[5]["grammar"]
    assert sift[5]["messages"][-1]["content"].endswith(
        "The record's who is whoever is bound to act, often not the speaker."
    )
    assert [(c.actor, c.action) for c in result.commitments] == [("North Korea", "disarm")]
    assert "speaker" not in result.commitments[0].model_dump()
    assert [k.holder for k in result.skepticism] == ["Critics"] and [t.traveler for t in result.trips] == [
        "Mike Pompeo"
    ]


def test_sift_each_fills_each_shown_sentence_in_a_call_of_its_own() -> None:
    """``sift-each`` shows the commitments and skepticism fills one sentence per call (each record written with no
    earlier record to copy); trips and summits are filled as in ``sift``, all shown sentences in one call."""
    text = "Kim will visit Seoul. Moon pledged aid. Kim vowed to disarm. Critics doubt it."
    lines = [
        {"T": 0.9, "N": 0.1},
        {"C": 0.9, "N": 0.1},
        {"C": 0.8, "N": 0.2},
        {"K": 0.9, "N": 0.1},
    ]
    trip = {"sentences": [1], "traveler": "Kim Jong Un", "traveler_role": None, "destinations": ["Seoul"],
            "when": None, "purpose": None, "status": "planned", "ordinal": None}  # fmt: skip
    moon = {"sentences": [2], "speaker": None, "actor": "Moon Jae-in", "action": "give aid", "counterparty": None,
            "occasion": None}  # fmt: skip
    kim = {**moon, "sentences": [3], "actor": "Kim Jong Un", "action": "disarm"}
    doubt = {"sentences": [4], "holder": "Critics", "target": "Kim's vow", "reason": None}
    yes = reply(letter({"Y": 0.9, "N": 0.1}))
    steps = [
        *[reply(letter(p)) for p in lines],
        reply(content({"records": [trip]})), yes,
        reply(content({"records": [moon]})), reply(content({"records": [kim]})), yes, yes,
        reply(content({"records": [doubt]})), yes,
        reply(content({"summary": "Kim will visit Seoul."})),
    ]  # fmt: skip
    with FakeEndpoint(steps) as fake:  # type: ignore[arg-type]
        settings = Settings(base_url=fake.url, api_key=SecretStr("sk-x"), pipeline="sift-each", mode="GRAMMAR")
        with connect(settings) as conn:
            result = run(conn, Article("a.txt", text), settings)
    fills = [r["body"]["messages"][-1]["content"] for r in fake.requests]
    fills = [f.split("\n")[0] for f in fills if f.startswith("Records:")]
    assert fills == [
        "Records: trips from sentences [1]", "Records: commitments from sentences [2]",
        "Records: commitments from sentences [3]", "Records: skepticism from sentences [4]",
    ]  # fmt: skip
    assert [c.actor for c in result.commitments] == ["Moon Jae-in", "Kim Jong Un"]
    assert [k.holder for k in result.skepticism] == ["Critics"] and [t.traveler for t in result.trips] == [
        "Kim Jong Un"
    ]


def test_sift_all_fills_every_category_one_shown_sentence_per_call() -> None:
    """``sift-all`` is ``sift-each`` whose trips and summits fills are asked one shown sentence per call too: a
    second record cannot copy the first one's traveler or participants."""
    text = "Kim will visit Seoul. Pompeo went to Pyongyang. Trump and Kim will meet again. Kim vowed to disarm."
    lines = [{"T": 0.9, "N": 0.1}, {"T": 0.8, "N": 0.2}, {"S": 0.9, "N": 0.1}, {"C": 0.9, "N": 0.1}]
    kim = {"sentences": [1], "traveler": "Kim Jong Un", "traveler_role": None, "destinations": ["Seoul"],
           "when": None, "purpose": None, "status": "planned", "ordinal": None}  # fmt: skip
    pompeo = {**kim, "sentences": [2], "traveler": "Mike Pompeo", "destinations": ["Pyongyang"], "status": "completed"}
    summit = {"sentences": [3], "participants": ["Donald Trump", "Kim Jong Un"], "location": None, "when": None,
              "status": "planned", "ordinal": 2}  # fmt: skip
    vow = {"sentences": [4], "speaker": None, "actor": "Kim Jong Un", "action": "disarm", "counterparty": None,
           "occasion": None}  # fmt: skip
    yes = reply(letter({"Y": 0.9, "N": 0.1}))
    steps = [
        yes,  # the topic question: the article reports diplomacy
        *[reply(letter(p)) for p in lines],
        reply(content({"records": [kim]})), reply(content({"records": [pompeo]})), yes, yes,
        reply(content({"records": [summit]})), yes,
        reply(content({"records": [vow]})), yes,
        reply(content({"summary": "Kim will visit Seoul."})),
    ]  # fmt: skip
    with FakeEndpoint(steps) as fake:  # type: ignore[arg-type]
        settings = Settings(base_url=fake.url, api_key=SecretStr("sk-x"), pipeline="sift-all", mode="GRAMMAR")
        with connect(settings) as conn:
            result = run(conn, Article("a.txt", text), settings)
    fills = [r["body"]["messages"][-1]["content"] for r in fake.requests]
    fills = [f.split("\n")[0] for f in fills if f.startswith("Records:")]
    assert fills == [
        "Records: trips from sentences [1]", "Records: trips from sentences [2]",
        "Records: summits from sentences [3]", "Records: commitments from sentences [4]",
    ]  # fmt: skip
    assert [t.traveler for t in result.trips] == ["Kim Jong Un", "Mike Pompeo"]
    assert [s.participants for s in result.summits] == [["Donald Trump", "Kim Jong Un"]]
    assert [c.actor for c in result.commitments] == ["Kim Jong Un"]
    assert fake.requests[0]["body"]["messages"][-1]["content"].startswith("Topic: does this article report diplomacy")
    assert result.meta is not None and result.meta.topic_scores == [0.9]
    assert result.meta.usage.calls == len(steps)  # the topic question included


@pytest.mark.parametrize(
    ("p_yes", "asked"), [(0.2, ["Topic:", "Summary"]), (0.5, ["Topic:", "Sentence", "Sentence", "Summary"])]
)
def test_an_article_below_the_topic_threshold_gets_no_records_and_no_detection(
    monkeypatch: pytest.MonkeyPatch, p_yes: float, asked: list[str]
) -> None:
    """``sift-all`` asks first whether the article reports diplomacy; below the plan's ``topic`` it asks nothing
    more but the summary, and the output says why it is empty (``meta.topic_scores``); at the threshold it reads
    every sentence. The topic question counts in the usage."""
    monkeypatch.setitem(PLANS, "sift-all", replace(PLANS["sift-all"], topic=0.5))
    text = "The Eagles will not visit the White House. Fans vowed to protest."
    none = reply(letter({"N": 0.9, "C": 0.1}))
    steps = [reply(letter({"Y": p_yes, "N": 1 - p_yes})), *([none, none] if p_yes >= 0.5 else [])]
    steps.append(reply(content({"summary": "The Eagles will not visit."})))
    with FakeEndpoint(steps) as fake:  # type: ignore[arg-type]
        settings = Settings(base_url=fake.url, api_key=SecretStr("sk-x"), pipeline="sift-all", mode="GRAMMAR")
        with connect(settings) as conn:
            result = run(conn, Article("a.txt", text), settings)
    assert [r["body"]["messages"][-1]["content"].split(None, 1)[0] for r in fake.requests] == asked
    assert result.meta is not None and result.meta.topic_scores == [p_yes]
    assert result.meta.usage.calls == len(asked)
    assert result.summary == "The Eagles will not visit."
    assert not any(result.records().values())


def test_sift_wide_and_narrow_show_more_or_fewer_sentences_with_the_same_fill_requests() -> None:
    """``sift-wide`` and ``sift-narrow`` are ``sift-all`` shown up to ``WIDE_TOP`` or ``NARROW_TOP`` flagged sentences
    per kind, the highest scoring, in article order; each is filled in a call of its own, so the fills of the
    narrower are those of the wider, byte for byte (their recordings reused ``sift-all``'s answers)."""
    text = " ".join(f"Envoy {n} flew to Seoul." for n in range(1, 11))
    scores = [0.45, 0.9, 0.5, 0.85, 0.55, 0.8, 0.6, 0.75, 0.65, 0.3]  # the last one is not flagged (below 0.4)

    def ask(pipeline: PipelineName, top: int) -> list[dict[str, Any]]:
        steps = [
            reply(letter({"Y": 0.9, "N": 0.1})),
            *[reply(letter({"T": p, "N": 1 - p})) for p in scores],
            *[reply(content({"records": []})) for _ in range(top)],
            reply(content({"summary": "Envoys flew to Seoul."})),
        ]
        with FakeEndpoint(steps) as fake:  # type: ignore[arg-type]
            settings = Settings(base_url=fake.url, api_key=SecretStr("sk-x"), pipeline=pipeline, mode="GRAMMAR")
            with connect(settings) as conn:
                run(conn, Article("a.txt", text), settings)
        return [r["body"] for r in fake.requests]

    def fills(bodies: list[dict[str, Any]]) -> list[str]:
        questions = [b["messages"][-1]["content"] for b in bodies]
        return [q.split("\n")[0].rsplit(" ", 1)[1] for q in questions if q.startswith("Records:")]

    three, five, eight = ask("sift-narrow", NARROW_TOP), ask("sift-all", MAX_RECORDS), ask("sift-wide", WIDE_TOP)
    assert fills(three) == ["[2]", "[4]", "[6]"]
    assert fills(five) == ["[2]", "[4]", "[6]", "[8]", "[9]"]
    assert fills(eight) == ["[2]", "[3]", "[4]", "[5]", "[6]", "[7]", "[8]", "[9]"]  # [1] is the ninth best
    assert all(body in five for body in three) and len(five) == len(three) + MAX_RECORDS - NARROW_TOP
    assert all(body in eight for body in five) and len(eight) == len(five) + WIDE_TOP - MAX_RECORDS
