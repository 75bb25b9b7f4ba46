"""What each detect-family pipeline asks, shows and keeps: one :class:`Plan` per pipeline in :data:`PLANS`.

:mod:`summarizer.detect` runs a plan; every threshold, rule and choice that tells ``detect``, ``detect-window``,
``percat``, ``scan`` and the ``sift`` family apart is here, with how it was chosen. A new variant is one entry.

Thresholds are chosen on screening articles only (the 7 of ``evals/runs/20261201-190138-live-detect.json``) from
recorded runs, with the ``bench/`` script each comment names; the other 26 gold articles stay held out.

``sift`` is ``scan`` with one more field in the commitments fill, ``speaker``, before the record's fields: who says
the sentence (null when the article itself reports it). Shown "Moon said Kim expressed a firm commitment to ...",
the small model filed Moon as the one who pledged; in ``scan``'s committed run, 13 of the 55 required commitments on
the 33 gold articles had a record on their evidence sentence whose actor was someone else, mostly the speaker
(``python bench/misses.py evals/runs/20261202-042020-replay-scan.json``). The speaker now has a field of its own,
and the actor is the next thing the grammar asks for.

``sift-each`` fills commitments and skepticism one shown sentence per call, and ``sift-all`` every category: in one
call the small model copies its first record's who into the next ones (four of five summits on seed-000 were
"Secretary of State Mike Pompeo and North Korea", one from a sentence naming Trump and Kim). ``sift-all`` also asks
first whether the article reports diplomacy at all (:data:`TOPIC`). ``sift-narrow``, the default pipeline, is
``sift-all`` shown three sentences per kind instead of five (:data:`NARROW_TOP`), ``sift-wide`` eight."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .examples import NONE_LETTER
from .schemas import CATEGORIES
from .sentences import WINDOW

# Probability (normalised over T/S/C/K/N) at which a sentence is flagged, per category.
# Per detection form (window size), chosen with ``bench/thresholds.py`` on screening runs of 5 (one sentence) and 7
# (windows) gold articles: about the highest threshold that keeps 90 % of the required records' evidence flagged.
THRESHOLDS: dict[int, dict[str, float]] = {
    1: {"trips": 0.2, "summits": 0.3, "commitments": 0.15, "skepticism": 0.3},
    WINDOW: {"trips": 0.05, "summits": 0.1, "commitments": 0.02, "skepticism": 0.02},
}
# A record is kept only if one of the sentences it cites scored at least this for its category (the anchor):
# the fill reads every flagged sentence (a low threshold, for recall), a record needs one confident sentence.
# Chosen on the 7 screening articles from a recorded run's records and scores (no model call): a common floor of
# 0.2 scored best there, which binds only commitments (flagged from 0.15). Windows: the flag threshold (no rule).
ANCHOR: dict[int, dict[str, float]] = {1: {**THRESHOLDS[1], "commitments": 0.2}}
# The cue rule: a commitment is kept only if a sentence it cites has one of the annotation guide's commitment words
# (a pledge, promise, vow, undertaking, agreement, acceptance, "will" with an objective). The fill files
# statements, demands and plans as pledges (111 of 202 false positives on the 33 gold articles were commitments);
# the guide's words are the cheap filter the issue names. No threshold: the words are the guide's.
CUES: dict[str, re.Pattern[str]] = {
    "commitments": re.compile(
        r"\b(pledg\w*|promis\w*|vow\w*|commit\w*|agree\w*|undertak\w*|guarantee\w*|assur\w*|will|would|"
        r"plans? to|intends? to|offer\w*|sign\w*|accept\w*)\b",
        re.I,
    )
}
# ``scan``: the score against N (:func:`flag_score`) at which a sentence is flagged, chosen with
# ``bench/thresholds.py --versus-none`` on the 7 screening articles of the ``detect`` run (the same questions):
# the highest threshold keeping 90 % of the required records' evidence flagged. No anchor: the fill is shown only
# flagged sentences, and may cite only them.
VERSUS_NONE: dict[str, float] = {"trips": 0.4, "summits": 0.5, "commitments": 0.4, "skepticism": 0.4}
MAX_RECORDS = 5
# ``sift-wide``: ``sift-all`` shown up to this many flagged sentences per kind. At 5, the evidence of 51 required
# records on the 33 gold articles is flagged but not shown; at 8, of 26; at 10, of 18 (``python bench/misses.py``
# with the cap changed); each more sentence costs a fill (about 7.5 s) and a check (about 2.5 s). The fills of a
# wider cap are a superset of a narrower one's (one sentence per call), its checks are not: a record merged with one
# from a sentence ranked 6 to 8 is checked with both sentences. On the 7 screening articles it lost to ``sift-all``
# (F1 0.548 against 0.591: recall 0.68 against 0.62, precision 0.46 against 0.56), with the same check thresholds
# chosen again (``python bench/checks.py --pipeline sift-wide --subset ...``); it was not run on the held-out ones.
WIDE_TOP = 8
# ``sift-narrow``: ``sift-all`` shown at most this many flagged sentences per kind, for speed (each sentence fewer is
# a fill and a check, about 10 s). Chosen on the 7 screening articles by keeping, in ``sift-all``'s run log, only the
# records that cite one of the top 2, 3 or 4 sentences (``python bench/filters.py
# evals/runs/20261202-132545-replay-sift-all.json --subset ...``): F1 0.522, 0.585, 0.565 against 0.591 at 5. The
# rule is the smallest cap within 0.01 of the best screening F1. Recorded (all 33, reusing ``sift-all``'s answers):
# screening F1 0.602 against 0.591, held out 0.348 against 0.376, in 199 s per article against 267 s.
NARROW_TOP = 3
# The check of each filled record: P(Y) over Y/N that its cited sentences report it, per category, to be kept
# (chosen on the windows screening run: below 0.6 the check separates nothing there). A plan may set its own per
# category (``Plan.verify``), as ``sift`` does.
VERIFY: dict[str, float] = {"trips": 0.6, "summits": 0.6, "commitments": 0.6, "skepticism": 0.6}


# ``sift``'s check thresholds, per category: the best F1 on the 7 screening articles, ties to the lowest, from a
# replay that keeps every record with its P(Y) (``python bench/checks.py --pipeline sift --subset
# evals/runs/20261201-190138-live-detect.json``). The check separates trips and summits better than skepticism.
SIFT_VERIFY: dict[str, float] = {"trips": 0.7, "summits": 0.8, "commitments": 0.8, "skepticism": 0.5}

# ``sift-all``'s first question: does the article report diplomacy between governments at all (one token, Y or N)?
# Below this P(Y) the article gets no records and costs this question and the summary. The model says Y to nearly
# everything (0.77-0.86 on the 7 screening articles, recorded at 0.5), so the threshold is the midpoint between the
# highest screening negative (0.784) and the lowest screening positive (0.821), rounded: a margin of 0.037 over two
# negative articles, so thin that only the held-out articles can say whether it holds (``python bench/topic.py
# evals/runs/20261202-084803-live-sift-all.json``). The non-diplomatic articles of the gold set (a school pledge, a
# social-media "summit", a sports team's White House visit) are where the ``sift`` family writes its spurious records.
TOPIC = 0.8
# ``sift-all``'s check thresholds: ``sift``'s, but summits at 0.7, the best F1 on the 7 screening articles with each
# summit filled from its own sentence (``python bench/checks.py --pipeline sift-all --subset
# evals/runs/20261201-190138-live-detect.json``, with only those 7 recorded).
ALL_VERIFY: dict[str, float] = {**SIFT_VERIFY, "summits": 0.7}


@dataclass(frozen=True)
class Plan:
    """One detect-family pipeline: how it detects and scores sentences, what it shows the fill and what the fill
    writes, and which records it keeps."""

    window: int  # sentences per detection question: 1, WINDOW, or 0 for no detection (the fill may cite any)
    thresholds: Mapping[str, float]  # per category, the score that flags a sentence
    anchor: Mapping[str, float] | None = None  # per category, the score one cited sentence must reach
    versus_none: bool = False  # score a category against N alone (:func:`flag_score`)
    top: int | None = None  # the fill is shown at most this many flagged sentences, the highest scoring
    cue_first: bool = False  # a category with :data:`CUES` is shown only sentences with a cue word
    omit: frozenset[str] = frozenset()  # fields the fill does not write (the program resolves them)
    speaker: frozenset[str] = frozenset()  # categories whose fill names who says a sentence before its who
    each: frozenset[str] = frozenset()  # categories filled one shown sentence per call, not all in one call
    verify: Mapping[str, float] | None = None  # per category, the check's P(Y) to keep a record (else VERIFY)
    topic: float | None = None  # ask first whether the article reports diplomacy; below this P(Y), no records


# Each variant of the ``scan`` family is its predecessor with what it changes (see the module docstring).
_SCAN = Plan(1, VERSUS_NONE, None, versus_none=True, top=MAX_RECORDS, cue_first=True, omit=frozenset({"date"}))
_SIFT = replace(_SCAN, speaker=frozenset({"commitments"}), verify=SIFT_VERIFY)
_SIFT_EACH = replace(_SIFT, each=frozenset({"commitments", "skepticism"}))
_SIFT_ALL = replace(_SIFT_EACH, each=frozenset(CATEGORIES), verify=ALL_VERIFY, topic=TOPIC)

PLANS: dict[str, Plan] = {
    "detect": Plan(1, THRESHOLDS[1], ANCHOR[1]),
    "detect-window": Plan(WINDOW, THRESHOLDS[WINDOW], THRESHOLDS[WINDOW]),
    "percat": Plan(0, {}),
    "scan": _SCAN,
    "sift": _SIFT,
    "sift-each": _SIFT_EACH,
    "sift-all": _SIFT_ALL,
    "sift-wide": replace(_SIFT_ALL, top=WIDE_TOP),
    "sift-narrow": replace(_SIFT_ALL, top=NARROW_TOP),
}


def flag_score(probs: Mapping[str, float], letter: str, versus_none: bool = False) -> float:
    """A sentence's score for ``letter``: its share of the five letters, or its probability against N alone."""
    if not versus_none:
        return probs[letter]
    both = probs[letter] + probs[NONE_LETTER]
    return probs[letter] / both if both > 0 else 0.0
