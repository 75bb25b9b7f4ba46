"""The one name, text and date comparison the whole tool uses (scorer, and merging records across chunks).

``norm`` lower-cases, strips accents, turns hyphens and punctuation into spaces and collapses whitespace, so
"Kim Jong-un", "Kim Jong Un" and "KIM JONG UN" are equal. ``name_similarity`` also accepts a surname-only or
title-prefixed reference ("Pompeo", "Secretary of State Mike Pompeo" vs "Mike Pompeo"): when every token of
the shorter name appears in the longer, the similarity is 1.0; otherwise it is rapidfuzz's token-set ratio.
Countries compare by their ISO 3166-1 code where :func:`summarizer.places.country_code` knows both forms (names,
official names, codes, common forms and demonyms: "US", "U.S.", "USA" and "United States" are one country, so are
"DPRK", "North Korea" and "North Korean"); cities and forms it does not know compare as names. ``norm`` lives in
:mod:`summarizer.fold`, below both. :data:`SAME_NAME` is the one threshold above which two names are the
same person or place. ``dates_agree`` compares ISO dates at the coarser common granularity (``2018-10`` agrees
with ``2018-10-06``; of a range ``START/END`` the start is compared).
"""

from __future__ import annotations

from rapidfuzz import fuzz

from .fold import norm as norm  # re-exported: the scorer, merger and links compare with names.norm
from .places import country_code

_STOP = frozenset(
    {
        "the",
        "of",
        "u",
        "s",
        "us",
        "mr",
        "mrs",
        "ms",
        "dr",
        "president",
        "prime",
        "minister",
        "secretary",
        "state",
        "leader",
        "chairman",
        "gen",
        "general",
        "sen",
        "senator",
        "rep",
    }
)


SAME_NAME = 0.85  # name_similarity at or above this: the same person or place


def _tokens(name: str) -> set[str]:
    toks = set(norm(name).split())
    core = toks - _STOP
    return core or toks


def name_similarity(a: str | None, b: str | None) -> float:
    """1.0 for the same person however referred to, else a fuzzy score in [0, 1]."""
    if not a or not b:
        return 1.0 if not a and not b else 0.0
    ca, cb = country_code(a), country_code(b)
    if ca and cb:
        return 1.0 if ca == cb else 0.0
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    small, big = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if small <= big:
        return 1.0
    return float(fuzz.token_set_ratio(" ".join(sorted(ta)), " ".join(sorted(tb)))) / 100.0


def text_similarity(a: str | None, b: str | None) -> float:
    """Fuzzy similarity of two normalized phrases in [0, 1] (rapidfuzz token-set ratio)."""
    if not a or not b:
        return 1.0 if not a and not b else 0.0
    return float(fuzz.token_set_ratio(norm(a), norm(b))) / 100.0


def set_f1(pred: list[str], gold: list[str], threshold: float = SAME_NAME, names: bool = True) -> float:
    """F1 of two lists after normalization; items pair greedily when their similarity ≥ ``threshold``."""
    if not pred and not gold:
        return 1.0
    if not pred or not gold:
        return 0.0
    sim = name_similarity if names else text_similarity
    unused = list(gold)
    hits = 0
    for p in pred:
        best = max(unused, key=lambda g: sim(p, g), default=None)
        if best is not None and sim(p, best) >= threshold:
            hits += 1
            unused.remove(best)
    precision, recall = hits / len(pred), hits / len(gold)
    return 0.0 if hits == 0 else 2 * precision * recall / (precision + recall)


def dates_agree(a: str, b: str) -> bool:
    """Two ISO dates (or ranges) agree at their coarser common granularity (see the module docstring)."""
    sa, sb = a.split("/")[0], b.split("/")[0]
    k = min(len(sa), len(sb))
    return sa[:k] == sb[:k]
