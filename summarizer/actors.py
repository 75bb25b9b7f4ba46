"""One canonical name per person, government or group of one article, with role and country where it says.

Input: the article and the actor strings its records use (travelers, participants, parties, doubters). Rules:

- A **country** (``places.country_code`` knows it: "North Korea", "the United States", "U.S."; a city such as
  "Washington" is not one): a state actor with ``country`` its code, named by the form as written without a
  leading "the" that is written out rather than abbreviated, then used most in the article, then shortest.
- A **group** (last word lower case and no title: "critics", "Korea watchers", "U.S. officials"): as written,
  no role or country; forms equal under ``names.norm`` are one group.
- A **title reference** (only titles, countries and "of"/"for"/"and": "the secretary", "the North Korean
  leader"): an alias of the one person whose role holds those title words (and that country, if it names
  one); if none or several fit, it stays as written.
- A **person or organisation** (anything else) compares by its words folded by ``names.norm`` once leading
  function words, a possessor ("North Korea's"), a leading country ("U.S.", "North Korean"; not one country
  word before one name: "Chad Smith") and all up to its last title are dropped ("U.S. Secretary of State Mike
  Pompeo" → "Mike Pompeo"); a name is the same as one whose words include all of its words (the subset rule of
  ``names.name_similarity``). Candidate full names: the record forms and the article's capitalised word
  sequences (only spaces between, no sentence end or possessive inside, at most five words). A name goes to
  the fullest candidate that includes it ("Pompeo" → "Mike Pompeo"); if it fits two different full names
  ("Kim": "Kim Jong Un", "Kim Yong Chol"), to the one the article mentions at least twice as often (counting
  mentions that fit only that one), else it stays as written. A full name the article first writes after the
  short form alone is someone else ("President Trump" … later "Ivanka Trump"): the short form stays as written.
  Two different full names never merge. The ``name`` is the article's most frequent spelling of the full name
  ("Kim Jong Un", not the record's "Kim Jong-un"), else the records'.
- **Role**: the words right before a mention that are titles, countries, demonyms, or "of"/"for"/"and"
  between them, ending in a title, with only spaces between ("U.S. Secretary of State", "North Korean leader",
  "President"); a record form's own titles count too; the one of most words wins. **Country**: the role's
  first country or demonym ("U.S." → USA, "North Korean" → PRK, "South Korean President" → KOR).
- ``aliases``: the other forms the records used, sorted. Actors are in order of first appearance in the
  article; those it never writes come last, in the records' order.

Deterministic and model-free (regular expressions, and the cached ``country_code`` for country words).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from summarizer.fold import norm
from summarizer.places import country_code
from summarizer.schemas import Actor

TITLES = frozenset(
    {"president", "vice", "prime", "minister", "secretary", "state", "foreign", "defense", "defence", "leader",
     "chairman", "chairwoman", "chair", "envoy", "special", "representative", "ambassador", "king", "queen",
     "prince", "crown", "emperor", "chancellor", "premier", "general", "gen", "lieutenant", "lt", "admiral", "adm",
     "senator", "sen", "rep", "congressman", "congresswoman", "speaker", "spokesman", "spokeswoman", "spokesperson",
     "adviser", "advisor", "national", "security", "director", "chief", "deputy", "assistant", "undersecretary",
     "under", "commander", "supreme", "first", "lady", "mr", "mrs", "ms", "dr", "mayor", "governor", "top",
     "former", "acting", "treasury", "trade", "unification", "affairs", "department", "ministry", "negotiator",
     "diplomat", "head", "counselor", "dictator", "officer", "senior", "nuclear", "col", "sgt", "gov", "professor",
     "analyst", "scholar", "researcher", "fellow", "lawmaker", "official", "house"}
)  # fmt: skip
_LEADING = frozenset(  # capitalised at the start of a sentence, never the start of a name
    {"the", "a", "an", "but", "and", "or", "so", "yet", "when", "while", "after", "before", "as", "at", "in", "on",
     "by", "for", "from", "with", "if", "since", "though", "although", "meanwhile", "then", "also", "however",
     "still", "now", "both", "his", "her", "its", "their", "our", "this", "that", "these", "those", "during",
     "until", "according", "asked", "even", "only", "last", "next", "earlier", "later", "like", "unlike", "did",
     "some", "many", "several", "other", "others", "most", "all", "few", "more", "two", "three", "each", "every",
     "does", "will", "would", "could", "should", "can", "monday", "tuesday", "wednesday", "thursday", "friday",
     "saturday", "sunday", "january", "february", "march", "july", "september", "october", "november", "december"}
)  # fmt: skip
# Abbreviated titles: their full stop ends no sentence ("Gen. Vincent Brooks").
_SHORT = frozenset({"mr", "mrs", "ms", "dr", "gen", "lt", "col", "sgt", "adm", "sen", "rep", "gov", "st", "jr"})
_CONNECTORS = frozenset({"of", "for", "and"})
_PARTICLES = frozenset({"bin", "al", "de", "da", "van", "von", "der", "la", "le", "du", "ibn", "el"})
_WORD = re.compile(r"[^\W\d_](?:[\w'’\-]|\.(?=[^\W\d_]))*\.?")
_ABBREVIATION = re.compile(r"(?:[^\W\d_]\.)+")
_POSSESSIVE = re.compile(r"['’]s$|(?<=s)['’]$", re.IGNORECASE)  # "Kim's", "Project Veritas’"
_MAX_NAME_WORDS = 5  # longer capitalised sequences are titles of things, not names
_fold = lru_cache(maxsize=16384)(norm)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int  # of the word without a possessive or a sentence's full stop
    word: str  # as written, without them
    key: str  # the word folded by ``names.norm``
    stops: bool  # a sentence end or a possessive follows: no name runs on past it

    @property
    def capital(self) -> bool:
        return self.word[:1].isupper()

    @property
    def title(self) -> bool:
        return bool(self.key) and all(p in TITLES for p in self.key.split())


def _tokens(text: str) -> list[_Token]:
    out = []
    for m in _WORD.finditer(text):
        word = _POSSESSIVE.sub("", m.group())
        possessive = word != m.group()
        full_stop = word.endswith(".") and not _ABBREVIATION.fullmatch(word) and word[:-1].lower() not in _SHORT
        word = word[:-1] if full_stop else word
        out.append(_Token(m.start(), m.start() + len(word), word, _fold(word), possessive or full_stop))
    return out


def _joined(text: str, toks: list[_Token], i: int) -> bool:
    """``toks[i]`` and ``toks[i + 1]`` are one phrase: only spaces between, no sentence end or possessive."""
    return not toks[i].stops and not text[toks[i].end : toks[i + 1].start].strip(" ")  # a line break ends it


def _country_words(text: str, toks: list[_Token], i: int, step: int) -> int:
    """How many words (2, 1 or 0) from ``toks[i]`` on (``step`` 1) or back (-1) name a country or its people."""
    j = i + step
    if 0 <= j < len(toks) and _joined(text, toks, min(i, j)):
        pair = (toks[i], toks[j]) if step > 0 else (toks[j], toks[i])
        if country_code(f"{pair[0].word} {pair[1].word}"):
            return 2
    return 1 if country_code(toks[i].word) else 0


def _title_start(text: str, toks: list[_Token], i: int) -> int | None:
    """Index where the title words right before ``toks[i]`` begin ("U.S. Secretary of State"), None if none."""
    if i == 0 or not toks[i - 1].title:  # a role ends in a title: not "her prime minister and [Japan]"
        return None
    j, first = i - 1, i
    while j >= 0 and (j + 1 == len(toks) or _joined(text, toks, j)):
        step = 1 if toks[j].title or toks[j].key in _CONNECTORS else _country_words(text, toks, j, -1)
        if not step:
            break
        j -= step
        first = j + 1
    while first < i and toks[first].key in _CONNECTORS:
        first += 1
    return first if first < i else None


def _span(text: str, toks: list[_Token], lo: int, hi: int) -> str:
    return " ".join(text[toks[lo].start : toks[hi - 1].end].split())


@dataclass(frozen=True)
class _Name:
    """A name in the article or a record: where it starts, its core ("Mike Pompeo"), the core's words, its role."""

    start: int
    core: str
    key: frozenset[str]
    role: str | None


def _name(text: str, toks: list[_Token], lo: int, hi: int, most: int = _MAX_NAME_WORDS) -> _Name | None:
    """The name in ``toks[lo:hi]`` by the rules of the module docstring; None if none is left or it is too long."""
    while lo < hi and toks[lo].key in _LEADING:
        lo += 1
    lo = max([lo, *(k + 1 for k in range(lo, hi - 1) if toks[k].stops)])  # "North Korea's Kim"
    n = _country_words(text, toks, lo, 1) if lo < hi else 0
    dotted = "." in toks[lo].word or toks[lo].word.isupper() if lo < hi else False
    if n and hi - lo > n and (n == 2 or dotted or hi - lo > 2):  # "U.S. Pompeo", not "Chad Smith"
        lo += n
    if not all(t.title for t in toks[lo:hi]):  # "State Department" is a name, all titles
        lo = max((k + 1 for k in range(lo, hi - 1) if toks[k].title), default=lo)
    if not 0 < hi - lo <= most:
        return None
    core = _span(text, toks, lo, hi)
    first = _title_start(text, toks, lo)
    role = None if first is None else _span(text, toks, first, lo)
    return _Name(toks[lo].start, core, frozenset(norm(core).split()), role)


def _mentions(text: str) -> list[_Name]:
    """The names of the article: its capitalised word sequences, cut to their core, with the titles before."""
    toks = _tokens(text)
    runs: list[list[int]] = []
    for k, tok in enumerate(toks):
        joined = bool(runs) and runs[-1][-1] == k - 1 and _joined(text, toks, k - 1)
        if tok.capital or (joined and tok.key in _PARTICLES):
            if joined:
                runs[-1].append(k)
            else:
                runs.append([k])
    out = []
    for run in runs:
        while not toks[run[-1]].capital:  # a trailing particle
            run.pop()
        word = toks[run[0]].word
        if len(run) == 1 and "-" in word and all(p[:1].isupper() for p in word.split("-")):
            continue  # "Trump-Kim": a compound, not a name
        if name := _name(text, toks, run[0], run[-1] + 1):
            out.append(name)
    return out


def _kind(name: str) -> str:
    """The kind of a record's form: country, group, title (reference) or person (see the module docstring)."""
    toks = _tokens(name)
    while toks and toks[0].key in _LEADING:
        toks = toks[1:]
    if not toks or not any(t.capital or t.title for t in toks):
        return "group"
    if country_code(name):
        return "country"
    if _title_start(name, toks, len(toks)) == 0:
        return "title"
    lower = [t for t in toks if not t.capital and not t.title and t.key not in _CONNECTORS | _PARTICLES]
    return "group" if lower else "person"  # "critics", "many (as cited by …)": not one person's name


def _role_country(role: str | None) -> str | None:
    """The first country name or demonym among the words of a role ("U.S. Secretary of State" → USA)."""
    words = [t.word for t in _tokens(role or "")]
    pieces = (" ".join(words[i : i + n]) for i in range(len(words)) for n in (2, 1) if i + n <= len(words))
    return next((code for p in pieces if (code := country_code(p))), None)


def _resolver(mentions: list[_Name], forms: list[_Name]) -> Callable[[frozenset[str]], frozenset[str]]:
    """A name's words -> the words of its full name, by the fullest-name and ambiguity rules."""
    pool = {n.key for n in [*mentions, *forms]}

    @cache
    def full_of(key: frozenset[str]) -> frozenset[str]:
        fits = [g for g in pool if key <= g]
        full = [g for g in fits if not any(g < h for h in fits)] or [key]
        only = {g: sum(1 for m in mentions if m.key <= g and not any(m.key <= h for h in full if h != g)) for g in full}
        top, *rest = sorted(full, key=lambda g: (-only[g], sorted(g)))  # by mentions that fit only that name
        if rest and not 0 < only[top] >= 2 * only[rest[0]]:
            return key
        bare, named = ([m.start for m in mentions if m.key == k] for k in (key, top))
        return key if bare and named and min(named) > min(bare) else top  # introduced after: someone else

    return full_of


def _find(text: str, form: str, fold_case: bool = False) -> int:
    """Where the article first writes ``form`` as whole words, or past its end."""
    m = re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.IGNORECASE if fold_case else 0) if form else None
    return m.start() if m else len(text) + 1


def _form(written: str) -> _Name:
    """A record's form of a person's name, read as the article's names are; of "Lou Russo, president of …" the
    part before the comma."""
    head = written.split(",", 1)[0]
    written = head if "," in written and any(w[:1].isupper() for w in head.split()) else written
    toks = _tokens(written)
    return _name(written, toks, 0, len(toks), most=len(toks)) or _Name(
        0, written, frozenset(norm(written).split()), None
    )


def _persons(text: str, written: list[str]) -> list[tuple[int, Actor]]:
    mentions, forms = _mentions(text), {w: _form(w) for w in written}
    full_of = _resolver(mentions, list(forms.values()))
    groups: dict[frozenset[str], list[str]] = {}
    for w, f in forms.items():
        groups.setdefault(full_of(f.key), []).append(w)
    out = []
    for full, members in groups.items():
        seen = [m for m in mentions if m.key <= full and full_of(m.key) == full]
        mine = [forms[w] for w in members]
        spellings = [m.core for m in seen if m.key == full] or [f.core for f in mine if f.key == full]
        spellings = spellings or [mine[0].core]
        name = max(spellings, key=lambda s: (spellings.count(s), -spellings.index(s)))
        roles = [r for r in [*(m.role for m in seen), *(f.role for f in mine)] if r]
        role = max(roles, key=lambda r: len(r.split()), default=None)
        country = _role_country(role) or next((c for r in roles if (c := _role_country(r))), None)
        start = min((m.start for m in seen), default=_find(text, name))
        aliases = sorted(set(members) - {name})
        out.append((start, Actor(name=name, role=role, country=country, aliases=aliases)))
    return out


def _titled(text: str, written: list[str], persons: list[tuple[int, Actor]]) -> list[tuple[int, Actor]]:
    """Persons with the title references that fit them as aliases; references that fit no one person as actors."""
    extra: dict[int, set[str]] = {}
    alone = []
    for w in written:
        words = {t.key for t in _tokens(w) if t.title}
        country = _role_country(w)
        fits = [
            k for k, (_, a) in enumerate(persons)
            if a.role and words <= set(norm(a.role).split()) and (country is None or a.country == country)
        ]  # fmt: skip
        if len(fits) == 1:
            extra.setdefault(fits[0], set()).add(w)
        else:
            alone.append((_find(text, w, fold_case=True), Actor(name=w, country=country)))
    updated = [
        (start, a.model_copy(update={"aliases": sorted({*a.aliases, *extra.get(k, ())} - {a.name})}))
        for k, (start, a) in enumerate(persons)
    ]
    return updated + alone


def _states(text: str, written: list[str]) -> list[tuple[int, Actor]]:
    by_code: dict[str, list[str]] = {}
    for w in written:
        by_code.setdefault(country_code(w) or "", []).append(w)
    out = []
    for code, members in by_code.items():
        bare = [_POSSESSIVE.sub("", re.sub(r"^the\s+", "", w, flags=re.IGNORECASE)) for w in members]
        uses = {b: len(re.findall(rf"(?<!\w){re.escape(b)}", text)) for b in bare}
        name = min(bare, key=lambda b: (b.isupper() or "." in b, -uses[b], len(b)))
        start = min(_find(text, b) for b in bare)
        out.append((start, Actor(name=name, country=code, aliases=sorted(set(members) - {name}))))
    return out


def _groups(text: str, written: list[str]) -> list[tuple[int, Actor]]:
    by_key: dict[str, list[str]] = {}
    for w in written:
        by_key.setdefault(norm(w), []).append(w)
    return [
        (min(_find(text, w, fold_case=True) for w in members), Actor(name=members[0], aliases=sorted(members[1:])))
        for members in by_key.values()
    ]


@dataclass(frozen=True)
class ActorTable:
    """The actors of one article; ``find`` and ``canonical`` look up a form a record used."""

    actors: tuple[Actor, ...]

    def find(self, name: str) -> Actor | None:
        """The actor a record's form refers to (the form exactly, else equal under ``names.norm``), or None."""
        name = name.strip()
        exact = next((a for a in self.actors if name == a.name or name in a.aliases), None)
        key = norm(name)
        return exact or next((a for a in self.actors if key in {norm(f) for f in (a.name, *a.aliases)}), None)

    def canonical(self, name: str) -> str:
        """The canonical name for a form used in a record, else ``name`` unchanged; of both parties "X and Y",
        each party's."""
        actor = self.find(name)
        if actor is None and len(parts := _parties(name)) > 1:
            return " and ".join(self.canonical(p) for p in parts)
        return actor.name if actor else name


def _parties(name: str) -> list[str]:
    """The parties of a form naming several, each capitalised ("Mike Pompeo and Kim Jong Un"); a country's own
    name ("Trinidad and Tobago") and a group ("critics and analysts") are one."""
    parts = [p.strip() for p in re.split(r"\s+(?:and|&)\s+", name)]
    if len(parts) < 2 or country_code(name) or not all(p[:1].isupper() for p in parts):
        return [name]  # "critics and analysts" is one group
    return parts


def actor_table(text: str, names: Iterable[str]) -> ActorTable:
    """The actors of one article under their canonical names (see the module docstring)."""
    forms = [p for n in names if n and n.strip() for p in _parties(n.strip())]  # each party of "X and Y"
    written = list(dict.fromkeys(forms))
    kinds = {w: _kind(w) for w in written}
    of = {k: [w for w in written if kinds[w] == k] for k in ("country", "group", "title", "person")}
    persons = _titled(text, of["title"], _persons(text, of["person"]))
    found = [*persons, *_states(text, of["country"]), *_groups(text, of["group"])]
    rank = {w: k for k, w in enumerate(written)}
    first = [min(rank.get(f, len(rank)) for f in (a.name, *a.aliases)) for _, a in found]
    order = sorted(range(len(found)), key=lambda k: (found[k][0], first[k]))
    return ActorTable(tuple(found[k][1] for k in order))
