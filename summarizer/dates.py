"""Time expressions resolved in code: the model copies ``when`` as written, the program computes ``date``.

:func:`resolve_when` turns an expression into a :class:`ResolvedDate` (an ISO value and its granularity) against
the article's publication date, by the annotation guide's rules:

- **No publication date, no guess**: a relative expression ("next month", "on Sunday") resolves only against
  one; an absolute one with its year ("June 12, 2018") resolves without it.
- **Weekdays to the day**, "July 5" to the day, "next month" / "October" to the month, "next year" to the year;
  a season ("in the fall", "next spring") and "early/mid/late next year" to the year only; winter, which spans
  two years, stays null unless a year is written.
- **Ranges** ``START/END``: "this weekend" (the coming Saturday and Sunday; the past one for a completed
  event), "earlier this week" (that week's Monday to the day before publication), "later this week", "this
  week", "last week", "next week" (Monday to Sunday), "Sept. 12-13" and "between May 3 and May 5".
- **Which way**: an expression that could point either way ("Sunday", "July 5", "October") points to the future
  for a planned, proposed or postponed event (its new date), to the past for a completed one, and to the nearer
  date otherwise (underway; cancelled: a called-off event may have been due on either side). A reading the
  status prefers that lies more than half a year from publication yields to another within a month of it
  (:data:`FAR_DAYS`, :data:`NEAR_DAYS`): news dates are near their paper, and a status can be wrong ("July 5"
  in a July 2 paper is that July 5 even if the record calls it done). A weekday or a
  month that is the publication's own is the publication day or month ("on Sunday" in Sunday's paper).
- **Honest**: anything else (“soon”, “in the coming weeks”, “after the summit”) stays null, as does a date more
  than :data:`MAX_YEARS` from publication with no year written, the sign of a misparse.

Parsing of the expressions themselves (month names, weekdays, "two weeks ago") is dateparser's, with the
publication date as its relative base; the rules above wrap it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from .schemas import Granularity, Status

Tense = Literal["past", "future"] | None
MAX_YEARS = 3
FAR_DAYS, NEAR_DAYS = 183, 31  # a reading the status prefers this far off yields to one this near publication
SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9}  # the month each season starts in (north)
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_LEAD = re.compile(r"^(?:on|in|by|at|during|from|since|until|for|as early as|as soon as|sometime|some time)\s+", re.I)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ResolvedDate:
    """An ISO date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, or ``START/END``) and how precise it is."""

    value: str
    granularity: Granularity

    @property
    def start(self) -> dt.date:
        """The first day it covers."""
        return first_day(self.value)


def first_day(value: str) -> dt.date:
    """The first day an ISO date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) or range ``START/END`` covers."""
    parts = [int(x) for x in value.split("/")[0].split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def last_day(value: str) -> dt.date:
    """The last day an ISO date or range covers (the end of its month or year when that is all it says)."""
    parts = [int(x) for x in value.split("/")[-1].split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        return dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date(parts[0], 12, 31)


def tense_of(status: Status | None) -> Tense:
    """Which way an ambiguous expression points for a record of this status (see the module docstring)."""
    if status == "completed":
        return "past"
    if status in ("planned", "proposed", "postponed"):
        return "future"
    return None


def _day(d: dt.date) -> ResolvedDate:
    return ResolvedDate(d.isoformat(), "day")


def _range(a: dt.date, b: dt.date) -> ResolvedDate | None:
    return ResolvedDate(f"{a.isoformat()}/{b.isoformat()}", "range") if a <= b else None


def _month(year: int, month: int) -> ResolvedDate:
    return ResolvedDate(f"{year:04d}-{month:02d}", "month")


def _year(year: int) -> ResolvedDate:
    return ResolvedDate(f"{year:04d}", "year")


def _week(d: dt.date) -> ResolvedDate | None:
    monday = d - dt.timedelta(days=d.weekday())
    return _range(monday, monday + dt.timedelta(days=6))


def _weekend(p: dt.date, tense: Tense, shift: int) -> ResolvedDate | None:
    """The Saturday and Sunday of "this weekend" (``shift`` 0), "next weekend" (1) or "last weekend" (-1)."""
    if p.weekday() >= 5:  # published on the weekend itself
        saturday = p - dt.timedelta(days=p.weekday() - 5)
    elif tense == "past":
        saturday = p - dt.timedelta(days=p.weekday() + 2)
    else:
        saturday = p + dt.timedelta(days=5 - p.weekday())
    saturday += dt.timedelta(weeks=shift)
    return _range(saturday, saturday + dt.timedelta(days=1))


_WEEKDAY_NAMES = _WEEKDAYS.split("|")


def _month_number(name: str) -> int:
    return next(i for i, m in enumerate(_MONTHS.split("|"), 1) if re.fullmatch(m, name))


def _relative(e: str, p: dt.date, tense: Tense) -> ResolvedDate | None:
    """The rule-resolved expressions of the module docstring, before dateparser; None if none applies."""
    monday = p - dt.timedelta(days=p.weekday())
    if m := re.fullmatch(r"(this|next|last|the|over the|this coming|the coming) weekend", e):
        return _weekend(p, tense, {"next": 1, "last": -1}.get(m[1], 0))
    if e in _WEEKDAY_NAMES and _WEEKDAY_NAMES.index(e) == p.weekday():
        return _day(p)  # "on Sunday" in a paper of that Sunday: the day itself
    if re.fullmatch(_MONTHS, e) and _month_number(e) == p.month:
        return _month(p.year, p.month)
    if m := re.fullmatch(rf"(last|next) ({_MONTHS})", e):
        month = _month_number(m[2])
        year = p.year - (month >= p.month) if m[1] == "last" else p.year + (month <= p.month)
        return _month(year, month)
    if e == "earlier this week":
        return _range(monday, p - dt.timedelta(days=1))
    if e == "later this week":
        return _range(p + dt.timedelta(days=1), monday + dt.timedelta(days=6))
    if m := re.fullmatch(r"(this|next|last|the coming|the past) week", e):
        return _week(p + dt.timedelta(weeks={"next": 1, "the coming": 1, "last": -1, "the past": -1}.get(m[1], 0)))
    if m := re.fullmatch(r"(?:(?:earlier|later|late|early|the end of|the middle of|mid) )?this month", e):
        return _month(p.year, p.month)
    if m := re.fullmatch(r"(?:(?:early|late|the end of|the beginning of|mid) ?)?(next|last|this) (month|year)", e):
        shift = {"next": 1, "last": -1, "this": 0}[m[1]]
        if m[2] == "year":
            return _year(p.year + shift)
        first = (p.replace(day=1) + dt.timedelta(days=32 * shift)) if shift > 0 else p.replace(day=1)
        if shift < 0:
            first = (p.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        return _month(first.year, first.month)
    if re.fullmatch(r"(?:by )?the end of (?:the|this) year|later this year|(?:early|late|mid|earlier) this year", e):
        return _year(p.year)
    if m := re.fullmatch(r"(?:(this|next|last|the) )?(spring|summer|fall|autumn|winter)(?: of (\d{4}))?", e):
        if m[3]:
            return _year(int(m[3]))
        if m[2] == "winter":
            return None
        start = SEASONS[m[2]]
        if m[1] == "next":
            return _year(p.year + (1 if p.month >= start else 0))
        if m[1] == "last":
            return _year(p.year - (1 if p.month < start + 3 else 0))
        if tense == "past":
            return _year(p.year if p.month >= start else p.year - 1)
        return _year(p.year if p.month < start + 3 else p.year + 1)
    return None


def _span_of_days(e: str, p: dt.date | None, tense: Tense) -> ResolvedDate | None:
    """ "Sept. 12-13", "Sept. 12 to 13, 2018", "between May 3 and May 5": a range of days."""
    m = re.fullmatch(rf"(?:between )?((?:{_MONTHS})\.? \d{{1,2}})(?:-| to | and |–)(\d{{1,2}})(,? \d{{4}})?", e)
    if m:
        first = _parse(m[1] + (m[3] or ""), p, tense)
        if first is None or first.granularity != "day":
            return None
        start = dt.date.fromisoformat(first.value)
        day = int(m[2])
        if not 1 <= day <= calendar.monthrange(start.year, start.month)[1]:
            return None
        return _range(start, start.replace(day=day))
    m = re.fullmatch(r"(?:between )?(.+?)(?: and (?:again )?| to | through |\s*(?:\.\.\.|…)\s*)(.+)", e)
    if m:
        a, b = _single(m[1], p, tense), _single(m[2], p, tense)
        if a and b and a.granularity == b.granularity == "day":
            return _range(dt.date.fromisoformat(a.value), dt.date.fromisoformat(b.value))
    return None


@lru_cache(maxsize=16)
def _parser(base: dt.date | None, prefer: str) -> Any:
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": prefer, "PREFER_DAY_OF_MONTH": "first"}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(base, dt.time())
    return DateDataParser(languages=["en"], settings=settings)


_HAS_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")


def _parse(e: str, p: dt.date | None, tense: Tense) -> ResolvedDate | None:
    """dateparser's reading of ``e`` at its own granularity; with ``tense`` None, the nearer of past and future."""
    if p is None and not _HAS_YEAR.search(e):
        return None
    if p is not None and (tense is None or not _HAS_YEAR.search(e)):
        readings = {t: _read(e, p, t) for t in ("past", "future")}
        near = min((r for r in readings.values() if r), key=lambda r: abs((r.start - p).days), default=None)
        wanted = readings[tense] if tense else None
        off = (abs((r.start - p).days) if r else 0 for r in (wanted, near))
        if wanted is None or (near is not None and next(off) > FAR_DAYS and next(off) <= NEAR_DAYS):
            return near  # "July 5" three days after a paper that calls it completed: July 5 is still to come
        return wanted
    return _read(e, p, tense)


def _read(e: str, p: dt.date | None, tense: Tense) -> ResolvedDate | None:
    data = _parser(p, "past" if tense == "past" else "future").get_date_data(e)
    when = data.date_obj.date() if data.date_obj else None
    if when is None:
        return None
    if data.period == "day":
        return _day(when)
    if data.period == "week":
        return _week(when)
    if data.period == "month":
        return _month(when.year, when.month)
    if data.period == "year":
        return _year(when.year)
    return None


def _single(e: str, p: dt.date | None, tense: Tense) -> ResolvedDate | None:
    """One expression (not a range of two): the rules first, then dateparser."""
    e = _clean(e)
    return (_relative(e, p, tense) if p is not None else None) or _parse(e, p, tense)


def _clean(when: str) -> str:
    e = _SPACE.sub(" ", when.strip().lower().replace("’", "'")).strip(" .,;")
    e = re.sub(r"\b(early|mid|late)[- ](?=[a-z])", r"\1 ", e)
    e = _LEAD.sub("", e)
    e = re.sub(r" (?:night|morning|afternoon|evening)$", "", e)
    e = re.sub(rf"^(?:the )?(?:end|beginning|start|middle) of (?=(?:{_MONTHS})\b)", "", e)
    return re.sub(r"^(?:early|late|mid|the middle of) (?=(?:" + _MONTHS + r")\b)", "", e)  # "late October": month


def resolve_when(when: str | None, published: dt.date | None, *, tense: Tense = None) -> ResolvedDate | None:
    """Resolve a time expression as written against the publication date (rules: the module docstring)."""
    if not when or len(when) > 80:
        return None
    e = _clean(when)
    if not e:
        return None
    if published is not None and (rule := _relative(e, published, tense)) is not None:
        return rule
    vague = re.search(r"\b(soon|coming|upcoming|recent|recently|after|before|later|earlier|ago|past|weeks|months)\b", e)
    if vague and not re.fullmatch(r"(?:a|one|two|three|four|five|six|\d+) (?:day|days|week|weeks|month|months) ago", e):
        return None
    resolved = _span_of_days(e, published, tense) or _parse(e, published, tense)
    if resolved is None:
        return None
    if published is not None and not _HAS_YEAR.search(e) and abs(resolved.start.year - published.year) > MAX_YEARS:
        return None
    return resolved
