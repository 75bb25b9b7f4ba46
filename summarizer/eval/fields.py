"""Field-level comparators for a matched (prediction, gold) pair; which field uses which is each category's
``field_rules`` in :data:`summarizer.categories.REGISTRY`.

Rules: enums (``status``) and ordinals exact; dates equal at the coarser common granularity (``2018-10`` equals
``2018-10-06``; for ranges the start dates are compared); names by :func:`name_similarity` ≥ 0.85; other strings
by normalized token-set similarity ≥ :data:`STRING_THRESHOLD`; lists by set F1 (a fraction, not 0/1). Two nulls
agree; a null and a value disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..names import SAME_NAME, dates_agree, name_similarity, set_f1, text_similarity

STRING_THRESHOLD = 0.8


def _null_rule(a: Any, b: Any) -> float | None:
    if a in (None, "", []) and b in (None, "", []):
        return 1.0
    if a in (None, "", []) or b in (None, "", []):
        return 0.0
    return None


def exact(a: Any, b: Any) -> float:
    n = _null_rule(a, b)
    return n if n is not None else float(a == b)


def dates(a: str | None, b: str | None) -> float:
    n = _null_rule(a, b)
    if n is not None:
        return n
    assert a is not None and b is not None
    return float(dates_agree(a, b))


def names(a: str | None, b: str | None) -> float:
    n = _null_rule(a, b)
    return n if n is not None else float(name_similarity(a, b) >= SAME_NAME)


def strings(a: str | None, b: str | None) -> float:
    n = _null_rule(a, b)
    return n if n is not None else float(text_similarity(a, b) >= STRING_THRESHOLD)


def name_lists(a: list[str], b: list[str]) -> float:
    return set_f1(a, b, SAME_NAME)


Comparator = Callable[[Any, Any], float]
