"""What the program adds to a summary after the model: dates, canonical actors, ISO codes, ids and links.

:func:`normalize` runs on every pipeline's output (``Settings.normalize``, on by default; ``--no-normalize``
keeps the model's fields as written), in this order:

1. **Dates** (trips, summits): ``when`` stays as the model copied it; ``date`` is computed from it against the
   publication date (:func:`summarizer.dates.resolve_when`, the direction from the record's status) with its
   ``date_granularity``. The model's own ``date`` is discarded: an expression the rules cannot place leaves
   ``date`` null, and without a publication date only a written year resolves. A trip or summit the model calls
   underway or completed whose resolved date lies wholly after the publication date has not happened yet: its
   ``status`` becomes ``planned``. (Taking ``when`` from the
   evidence where the model left it null was measured and dropped: it changed no matched date on the 33 gold
   articles and misdated a summit by the trip named in its sentence.)
2. **Actors**: one canonical name per person, government or group of the article (:mod:`summarizer.actors`);
   travelers, participants, commitment actors and counterparties and skepticism holders are rewritten to it,
   and the summary's ``actors`` lists each with role, country and the other forms used.
3. **Kinds**: a record its category's ``admissible`` rule refuses, given the roles the article gives its people,
   is dropped and listed in ``meta.rejected`` (a "summit" of Secretary of State Mike Pompeo and Kim Jong Un is
   the talks of a trip, not a meeting of leaders; :data:`summarizer.categories.REGISTRY`).
4. **Places**: ``destination_codes`` and ``location_code``, the ISO 3166-1 alpha-3 code of each place's
   country (:func:`summarizer.places.place_code`), null where unknown.
5. **Ids and links** (:mod:`summarizer.links`).

It changes no evidence or span; the records it drops in step 3 are the only change in what the record scores
count.
"""

from __future__ import annotations

from typing import Any

from .actors import actor_table
from .categories import REGISTRY
from .dates import resolve_when, tense_of
from .links import assign_ids, link
from .places import place_code
from .schemas import CATEGORIES, ArticleSummary, Summit, Trip

NAME_FIELDS: dict[str, tuple[str, ...]] = {
    "trips": ("traveler",),
    "summits": ("participants",),
    "commitments": ("actor", "counterparty"),
    "skepticism": ("holder",),
}


def _names(records: dict[str, list[Any]]) -> list[str]:
    out: list[str] = []
    for cat, fields in NAME_FIELDS.items():
        for rec in records[cat]:
            for f in fields:
                value = getattr(rec, f)
                out.extend(value if isinstance(value, list) else [value] if value else [])
    return out


def normalize(summary: ArticleSummary, text: str) -> ArticleSummary:
    """A copy of ``summary`` (of the article ``text``) with the fields of the module docstring filled in."""
    out = summary.model_copy(deep=True)
    records: dict[str, list[Any]] = {cat: getattr(out, cat) for cat in CATEGORIES}
    dated: list[Trip | Summit] = [*out.trips, *out.summits]
    for rec in dated:
        resolved = resolve_when(rec.when, out.published, tense=tense_of(rec.status))
        rec.date, rec.date_granularity = (resolved.value, resolved.granularity) if resolved else (None, None)
        if resolved and out.published and rec.status in ("underway", "completed") and resolved.start > out.published:
            rec.status = "planned"  # dated wholly after its paper: it has not happened yet
    table = actor_table(text, _names(records))
    for cat, fields in NAME_FIELDS.items():
        for rec in records[cat]:
            for f in fields:
                value = getattr(rec, f)
                if isinstance(value, list):
                    setattr(rec, f, list(dict.fromkeys(table.canonical(v) for v in value)))
                elif value:
                    setattr(rec, f, table.canonical(value))
    out.actors = list(table.actors)

    def role_of(name: str) -> str | None:
        actor = table.find(name)
        return actor.role if actor else None

    for cat in CATEGORIES:
        check = REGISTRY[cat].admissible
        if check is not None:
            kept = [rec for rec in records[cat] if check(rec, role_of)]
            if out.meta is not None:
                out.meta.rejected += [f"{cat}: {REGISTRY[cat].headline(r)}" for r in records[cat] if r not in kept]
            records[cat][:] = kept
    for trip in out.trips:
        trip.destination_codes = [place_code(d) for d in trip.destinations]
    for summit in out.summits:
        summit.location_code = place_code(summit.location)
    assign_ids(records)
    link(records)
    return out
