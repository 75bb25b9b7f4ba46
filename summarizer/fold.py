"""Text folded for comparing names: the one ``norm`` that names, places and actors compare with.

``norm`` lower-cases, strips accents, turns hyphens and punctuation into spaces, drops a possessive "'s" and
collapses whitespace, so "Kim Jong-un", "Kim Jong Un" and "KIM JONG UN" are equal. It depends on nothing else in
the package, so :mod:`summarizer.places` and :mod:`summarizer.names` both build on it.
"""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"[^\w\s]|_")
_SPACE = re.compile(r"\s+")


def norm(text: str | None) -> str:
    """Case, accents, punctuation and whitespace folded away."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    t = t.replace("’", "'").replace("'s ", " ")
    return _SPACE.sub(" ", _PUNCT.sub(" ", t)).strip()
