"""The records, in the shape of the gold format (``summarizer-gold/1``).

The four ``*Fields`` classes are what the model fills: their docstrings and field descriptions are the
schema documentation it reads, so they are written for the model. The output classes add what the
program computes: character ``spans`` for each evidence quote and a ``grounded`` flag, and what
:mod:`summarizer.normalize` adds after the model: a record ``id`` (``T1``, ``S2``…), links to other records
(``*Links``, also optional fields of the gold format), the resolved ``date`` with its ``date_granularity``,
ISO 3166-1 alpha-3 codes of places, and the article's canonical ``actors``. A gold file and the tool's output
therefore share every field of the gold format; the output only carries more. Nothing the model is shown
changes when a program-computed field is added: those classes are never part of a prompt's schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["proposed", "planned", "underway", "completed", "cancelled", "postponed"]
CATEGORIES: tuple[str, ...] = ("trips", "summits", "commitments", "skepticism")

Quote = Annotated[str, Field(min_length=3, max_length=400)]
Evidence = Annotated[
    list[Quote],
    Field(
        min_length=1,
        max_length=3,
        description="Sentences or clauses copied word for word from the article that prove this record.",
    ),
]
ShortText = Annotated[str, Field(max_length=200)]
DateText = Annotated[  # each use writes ``= None``: a default inside ``Field`` is invisible to type checkers
    str | None,
    Field(
        description="ISO date YYYY, YYYY-MM or YYYY-MM-DD (or START/END) resolved from the article and its "
        "publication date; null if it cannot be resolved.",
    ),
]
STATUS_HELP = (
    "proposed: suggested, invited or speculated, nobody agreed yet; planned: agreed or announced; "
    "underway: happening now; completed: happened; cancelled: called off; postponed: moved to a new date."
)


class Evidenced(BaseModel):
    """Records whose proof the model quotes verbatim."""

    evidence: Evidence


class Cited(BaseModel):
    """Records whose proof the model cites by sentence number (the program turns numbers into quotes)."""

    sentences: list[Annotated[int, Field(ge=1, le=999)]] = Field(
        min_length=1, max_length=3, description="Numbers [n] of the article sentences that prove this record."
    )


TRIP_DOC = """An official or delegation travelling (or due to travel) to another place on state business.
    Not a trip: hosting a visitor at home, a domestic campaign stop."""
SUMMIT_DOC = """A meeting of heads of state or government (presidents, prime ministers, leaders' summits such as G7, NATO).
    Talks between foreign ministers or envoys are not summits."""  # noqa: E501
COMMITMENT_DOC = """An actor binding itself to a future action: a pledge, promise, vow, or agreement between parties.
    Not commitments: demands on others, predictions, hopes."""
SKEPTICISM_DOC = (
    """Someone voicing doubt, criticism, worry or a warning about a diplomatic plan, claim or commitment."""
)


class TripCore(BaseModel):
    traveler: ShortText = Field(description="Full name of the person or delegation who travels.")
    traveler_role: ShortText | None = Field(default=None, description="Title as stated, e.g. Secretary of State.")
    destinations: list[ShortText] = Field(max_length=8, description="Places visited, as named in the article.")
    when: ShortText | None = Field(default=None, description="Time expression as written, e.g. 'next month'.")
    date: DateText = None
    purpose: ShortText | None = Field(default=None, description="Why they travel, a short phrase.")
    status: Status = Field(description=STATUS_HELP)
    ordinal: int | None = Field(default=None, ge=1, le=100, description="4 for 'his fourth trip', else null.")


class SummitCore(BaseModel):
    participants: list[ShortText] = Field(min_length=1, max_length=12, description="Leaders who meet, full names.")
    location: ShortText | None = Field(default=None, description="City, country or venue, if stated.")
    when: ShortText | None = Field(default=None, description="Time expression as written.")
    date: DateText = None
    status: Status = Field(description=STATUS_HELP)
    ordinal: int | None = Field(default=None, ge=1, le=100, description="2 for 'second summit', else null.")


class CommitmentCore(BaseModel):
    actor: ShortText = Field(description="Who is bound: a person, a government, or both parties 'X and Y'.")
    action: ShortText = Field(description="What they committed to, a short verb phrase.")
    counterparty: ShortText | None = Field(default=None, description="To whom, if stated.")
    occasion: ShortText | None = Field(default=None, description="Where or when it was made, if stated.")


class SkepticismCore(BaseModel):
    holder: ShortText = Field(description="Who doubts: a named person or a group such as 'critics'.")
    target: ShortText = Field(description="The plan, claim or commitment doubted.")
    reason: ShortText | None = Field(default=None, description="The stated grounds, if any.")


# Evidence comes first in every record (fields of the last base come first): the model quotes, then fills fields.
class TripFields(TripCore, Evidenced):
    __doc__ = TRIP_DOC


class SummitFields(SummitCore, Evidenced):
    __doc__ = SUMMIT_DOC


class CommitmentFields(CommitmentCore, Evidenced):
    __doc__ = COMMITMENT_DOC


class SkepticismFields(SkepticismCore, Evidenced):
    __doc__ = SKEPTICISM_DOC


class CitedTrip(TripCore, Cited):
    __doc__ = TRIP_DOC


class CitedSummit(SummitCore, Cited):
    __doc__ = SUMMIT_DOC


class CitedCommitment(CommitmentCore, Cited):
    __doc__ = COMMITMENT_DOC


class CitedSkepticism(SkepticismCore, Cited):
    __doc__ = SKEPTICISM_DOC


# Every list is required (an empty list is an answer): a grammar lets a model skip an optional key, and a small
# model that writes the summary first then closes the object, having decided nothing.
EXTRACTION_DOC = """Everything the article states about diplomatic trips, summits, commitments and skepticism.
    Each list may be empty. One record per distinct real-world event, even if mentioned several times."""


class Extraction(BaseModel):
    __doc__ = EXTRACTION_DOC

    summary: str = Field(max_length=800, description="Two or three neutral sentences summarizing the article.")
    trips: list[TripFields] = Field(max_length=10)
    summits: list[SummitFields] = Field(max_length=10)
    commitments: list[CommitmentFields] = Field(max_length=10)
    skepticism: list[SkepticismFields] = Field(max_length=10)


class CitedExtraction(BaseModel):
    __doc__ = EXTRACTION_DOC

    summary: str = Field(max_length=800, description="Two or three neutral sentences summarizing the article.")
    trips: list[CitedTrip] = Field(max_length=10)
    summits: list[CitedSummit] = Field(max_length=10)
    commitments: list[CitedCommitment] = Field(max_length=10)
    skepticism: list[CitedSkepticism] = Field(max_length=10)


class Span(BaseModel):
    """Where one evidence quote sits in the article: ``article[start:end]``."""

    model_config = ConfigDict(frozen=True)

    quote: str
    start: int | None = None
    end: int | None = None
    method: Literal["exact", "normalized", "fuzzy", "none"] = "none"
    score: float = 0.0

    def shifted(self, offset: int) -> Span:
        """The same span in a text where this one's text starts at ``offset``."""
        if self.start is None or self.end is None or not offset:
            return self
        return self.model_copy(update={"start": self.start + offset, "end": self.end + offset})


# Output records hold what the program aligned: a cited sentence can be longer than a quote the model may write.
OutputEvidence = Annotated[list[str], Field(min_length=1, description="Verbatim quotes from the article.")]


class Grounding(BaseModel):
    """Program-computed fields every output record carries."""

    spans: list[Span] = Field(default_factory=list)
    grounded: bool = False
    score: float | None = Field(
        default=None,
        description="detect pipeline: the model's probability that the cited sentences report this record",
    )


RecordId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")]
Granularity = Literal["day", "month", "year", "range"]


class Identified(BaseModel):
    """A record's id within its summary (or gold file), which links point to."""

    id: RecordId | None = Field(default=None, description="the record's id within the summary: T1, S1, C1, K1…")


class TripLinks(Identified):
    prepares: RecordId | None = Field(default=None, description="id of the summit this trip prepares")


class SummitLinks(Identified):
    pass


class CommitmentLinks(Identified):
    made_at: RecordId | None = Field(default=None, description="id of the summit where the commitment was made")


class SkepticismLinks(Identified):
    doubts: RecordId | None = Field(
        default=None, description="id of the commitment, summit or trip whose plan or claim is doubted"
    )


class Dated(BaseModel):
    """A trip's or summit's ``date`` as the program resolved it from ``when`` (:mod:`summarizer.dates`)."""

    date_granularity: Granularity | None = Field(
        default=None, description="how precise ``date`` is: day, month, year, or a range START/END"
    )


class Trip(TripFields, TripLinks, Dated, Grounding):
    """A trip as output: the model's fields plus its aligned evidence, id, links and codes."""

    evidence: OutputEvidence
    destination_codes: list[str | None] = Field(
        default_factory=list, description="per destination, its country's ISO 3166-1 alpha-3 code, else null"
    )


class Summit(SummitFields, SummitLinks, Dated, Grounding):
    """A summit as output."""

    evidence: OutputEvidence
    location_code: str | None = Field(default=None, description="the location's ISO 3166-1 alpha-3 country code")


class Commitment(CommitmentFields, CommitmentLinks, Grounding):
    """A commitment as output."""

    evidence: OutputEvidence


class Skepticism(SkepticismFields, SkepticismLinks, Grounding):
    """A skepticism record as output."""

    evidence: OutputEvidence


class Actor(BaseModel):
    """One person, government or group of an article under one canonical name (:mod:`summarizer.actors`)."""

    name: str = Field(description="the fullest form of the name the article uses")
    role: str | None = Field(default=None, description="title as the article states it, e.g. Secretary of State")
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-3 code, when the article makes it clear")
    aliases: list[str] = Field(default_factory=list, description="other forms the records used for this actor")


# Any record, as the model fills it (or a gold file states it), and as output.
RecordFields = TripFields | SummitFields | CommitmentFields | SkepticismFields
OutputRecord = Trip | Summit | Commitment | Skepticism


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    retries: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(**{k: getattr(self, k) + getattr(other, k) for k in Usage.model_fields})


class PromptRef(BaseModel):
    name: str
    sha256: str


class Extracted(NamedTuple):
    """What a pipeline returns for an article (or a chunk): the records, usage over every call, the prompts used,
    and, for pipelines that score every sentence, each sentence's probabilities and each record's check."""

    extraction: Extraction
    usage: Usage
    refs: list[PromptRef]
    sentence_scores: list[dict[str, float]] | None = None
    record_scores: dict[str, list[float]] | None = None  # per category, one per record of ``extraction``
    topic_score: float | None = None  # P(Y) that the article reports diplomacy, for plans that ask it


class ModelFileRef(BaseModel):
    """The GGUF file behind an embedded run: ``verified`` when its SHA-256 matched an expected one (the default
    download's, or ``--model-sha256``), false for a user's own file taken as given."""

    name: str
    sha256: str
    verified: bool


class RunMeta(BaseModel):
    """How this summary was produced."""

    model: str
    model_file: ModelFileRef | None = Field(default=None, description="embedded server: the GGUF it ran")
    backend: str
    pipeline: str
    prompts: list[PromptRef]
    usage: Usage
    seconds: float
    version: str
    chunks: int = Field(default=1, description="model calls the article was split into (long articles)")
    source_format: Literal["text", "html"] = Field(
        default="text", description="html: the offsets refer to the page's text (summarizer.htmltext)"
    )
    withheld: list[Span] = Field(
        default_factory=list, description="sentences not shown to the model: addressed to a model (summarizer.guard)"
    )
    prefix: Literal["restored", "saved", "unchanged"] | None = Field(
        default=None,
        description="embedded server: the prompt's fixed prefix was restored from a saved state, read and saved, "
        "or left as the server had it (summarizer.backends.prefix); null for endpoints",
    )
    rejected: list[str] = Field(
        default_factory=list,
        description="records the program dropped after the model, as category: headline (summarizer.normalize)",
    )
    sentence_scores: list[dict[str, float]] | None = Field(
        default=None,
        description="detect pipeline: per sentence shown to the model, the probability of each answer letter "
        "(T trip, S summit, C commitment, K skepticism, N none), for choosing thresholds without a model",
    )
    topic_scores: list[float] | None = Field(
        default=None,
        description="pipelines that ask whether the article reports diplomacy (summarizer.plans.Plan.topic): P(Y) "
        "per chunk; a chunk below the plan's threshold gets no records",
    )


class ArticleSummary(BaseModel):
    """The tool's output for one article: gold-format fields, plus spans, grounding and run metadata."""

    format: Literal["summarizer-output/1"] = "summarizer-output/1"
    published: dt.date | None = None
    summary: str
    trips: list[Trip] = Field(default_factory=list)
    summits: list[Summit] = Field(default_factory=list)
    commitments: list[Commitment] = Field(default_factory=list)
    skepticism: list[Skepticism] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    meta: RunMeta | None = None

    def records(self) -> dict[str, list[OutputRecord]]:
        return {c: list(getattr(self, c)) for c in CATEGORIES}

    @property
    def grounding_rate(self) -> float:
        recs = [r for rs in self.records().values() for r in rs]
        return sum(r.grounded for r in recs) / len(recs) if recs else 1.0
