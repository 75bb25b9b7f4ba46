"""Worked examples for the prompts, as typed data (after LangExtract's ``ExampleData``).

An example is an invented article (never one of the gold articles) with its records built from the model-facing
schema classes, so every record is validated when the module's example is built, and a test checks that each
record cites sentences that exist and that the sentence labels agree with the records. Prompts render examples
from this data; nothing in a template is hand-typed JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import BaseModel

from .categories import REGISTRY
from .schemas import CATEGORIES, CitedCommitment, CitedSkepticism, CitedSummit, CitedTrip
from .sentences import windows

# The one letter the detect step answers for each category; "N" is none of them.
LETTERS: dict[str, str] = {name: cat.letter for name, cat in REGISTRY.items()}
NONE_LETTER = "N"


@dataclass(frozen=True)
class Example:
    """An invented article as numbered sentences, its records per category, and its summary."""

    published: str
    sentences: tuple[str, ...]
    records: dict[str, list[BaseModel]]
    summary: str
    labels: tuple[str, ...] = field(default=())  # per sentence: the letter of the category it reports, else N
    decoys: dict[str, tuple[int, ...]] = field(default_factory=dict)  # flagged for a category, reporting none of it
    rejected: dict[str, BaseModel] = field(default_factory=dict)  # per category, a record a careless reader writes

    def numbered(self) -> str:
        return "\n".join(f"[{i}] {s}" for i, s in enumerate(self.sentences, 1))

    def cited(self, category: str) -> list[int]:
        """Sentence numbers the category's records cite, in order."""
        return sorted({n for rec in self.records[category] for n in getattr(rec, "sentences", [])})

    def flagged(self, category: str) -> list[int]:
        """What the fill step is shown for the category: the cited sentences and the decoys, in order."""
        return sorted({*self.cited(category), *self.decoys.get(category, ())})


@lru_cache(maxsize=1)
def diplomatic_example() -> Example:
    """Several records per category, some late in the text, each status, a null where the article is silent, and
    sentences that report nothing: background, praise, a demand, a visit at home, a summit that is not of leaders.
    Those are the example's decoys: shown to the fill step among the flagged sentences, and left out of its answer."""
    sentences = (
        "Foreign Minister Anna Berg will travel to Tokyo and Seoul next week, the ministry said on Monday.",
        "She is to prepare a summit between Prime Minister Lars Holm and Japanese Prime Minister Ken Sato in April.",
        "The ministry did not say how long Berg would stay.",
        "Holm and Sato last met at the G20 summit in Rio de Janeiro in November.",
        "Holm pledged on Sunday to sign a new trade agreement with Japan during the summit.",
        "The agreement would cover fish, timber and cars.",
        "Opposition leader Eva Lind said the agreement would not survive a vote in parliament.",
        "Holm praised the talks as friendly and productive.",
        "Sato's government has promised to cut tariffs on Nordic fish by half.",
        "Japan is the country's fourth-largest trading partner.",
        "Fishing unions also doubt that the tariff cuts will ever take effect.",
        "Trade Minister Per Dahl flew to Brussels on Friday for talks with the European Commission.",
        "He vowed to keep the European Union informed of every step.",
        "The opposition demands that Dahl publish the draft.",
        "Analysts at the Nordic Institute warned that the talks could strain ties with Beijing.",
        "Separately, the health minister visited a children's hospital in the capital on Tuesday.",
        "A technology summit in the capital drew 3,000 guests.",
        "Shares of the national airline rose 2 percent.",
    )
    records: dict[str, list[BaseModel]] = {
        "trips": [
            CitedTrip(sentences=[1, 2], traveler="Anna Berg", traveler_role="Foreign Minister",
                      destinations=["Tokyo", "Seoul"], when="next week", date="2024-03",
                      purpose="prepare a summit between Lars Holm and Ken Sato", status="planned", ordinal=None),
            CitedTrip(sentences=[12], traveler="Per Dahl", traveler_role="Trade Minister", destinations=["Brussels"],
                      when="on Friday", date="2024-03-01", purpose="talks with the European Commission",
                      status="completed", ordinal=None),
        ],
        "summits": [
            CitedSummit(sentences=[2], participants=["Lars Holm", "Ken Sato"], location=None, when="in April",
                        date="2024-04", status="planned", ordinal=None),
            CitedSummit(sentences=[4], participants=["Lars Holm", "Ken Sato"], location="Rio de Janeiro",
                        when="in November", date="2023-11", status="completed", ordinal=None),
        ],
        "commitments": [
            CitedCommitment(sentences=[5], actor="Lars Holm", action="sign a new trade agreement with Japan",
                            counterparty="Japan", occasion="the summit with Ken Sato"),
            CitedCommitment(sentences=[9], actor="Ken Sato's government", action="cut tariffs on Nordic fish by half",
                            counterparty=None, occasion=None),
            CitedCommitment(sentences=[13], actor="Per Dahl", action="keep the European Union informed of every step",
                            counterparty="the European Union", occasion="talks in Brussels"),
        ],
        "skepticism": [
            CitedSkepticism(sentences=[7], holder="Eva Lind", target="the trade agreement",
                            reason="it would not survive a vote in parliament"),
            CitedSkepticism(sentences=[11], holder="Fishing unions", target="the tariff cuts", reason=None),
            CitedSkepticism(sentences=[15], holder="Analysts at the Nordic Institute", target="the talks in Brussels",
                            reason="they could strain ties with Beijing"),
        ],
    }  # fmt: skip
    labels = ("T", "S", "N", "S", "C", "N", "K", "N", "C", "N", "K", "T", "C", "N", "K", "N", "N", "N")
    decoys: dict[str, tuple[int, ...]] = {"trips": (16,), "summits": (17,), "commitments": (14,), "skepticism": (8,)}
    summary = (
        "Foreign Minister Anna Berg will visit Tokyo and Seoul next week to prepare an April summit between Lars "
        "Holm and Ken Sato, where Holm pledged to sign a trade agreement. Opposition leaders and fishing unions "
        "doubt the deal; Trade Minister Per Dahl held talks in Brussels."
    )
    rejected: dict[str, BaseModel] = {  # what a careless reader writes from the decoys; the check answers N
        "trips": CitedTrip(sentences=[16], traveler="the health minister", traveler_role="health minister",
                           destinations=["a children's hospital"], when="on Tuesday", date="2024-02-27",
                           purpose=None, status="completed", ordinal=None),
        "summits": CitedSummit(sentences=[17], participants=["technology companies"], location="the capital",
                               when=None, date=None, status="completed", ordinal=None),
        "commitments": CitedCommitment(sentences=[14], actor="Per Dahl", action="publish the draft",
                                       counterparty=None, occasion=None),
        "skepticism": CitedSkepticism(sentences=[8], holder="Lars Holm", target="the talks", reason=None),
    }  # fmt: skip
    return Example("2024-03-04", sentences, records, summary, labels, decoys, rejected)


def field_docs() -> dict[str, str]:
    """Per category, its fields with their schema descriptions, as one line for the prompt."""
    return {
        cat: "; ".join(
            f"{name} ({info.description})" if info.description else name
            for name, info in REGISTRY[cat].cited.model_fields.items()
            if name != "sentences"
        )
        for cat in CATEGORIES
    }


def numbers_text(numbers: list[int]) -> str:
    return ", ".join(f"[{n}]" for n in numbers)


@lru_cache(maxsize=1)
def prompt_context() -> dict[str, object]:
    """What the ``detect`` system prompt renders: field docs and the worked example's questions and answers."""
    ex = diplomatic_example()
    return {
        "field_docs": field_docs(),
        "example": ex,
        "example_numbers": {cat: numbers_text(ex.flagged(cat)) for cat in CATEGORIES},
        "example_answers": {
            cat: json.dumps({"records": [r.model_dump() for r in ex.records[cat]]}, ensure_ascii=False)
            for cat in CATEGORIES
        },
        "example_summary": json.dumps({"summary": ex.summary}, ensure_ascii=False),
        "example_windows": [
            (first, last, [(n, ex.labels[n - 1]) for n in range(first, last + 1)])
            for first, last in windows(len(ex.sentences))
        ],
        "example_checks": [  # per category: its first record (Y), then the careless one (N)
            (cat, REGISTRY[cat].claim(rec), [ex.sentences[n - 1] for n in getattr(rec, "sentences")], answer)  # noqa: B009
            for cat in CATEGORIES
            for rec, answer in ((ex.records[cat][0], "Y"), (ex.rejected[cat], "N"))
        ],
    }


__all__ = ["CATEGORIES", "LETTERS", "NONE_LETTER", "Example", "diplomatic_example", "prompt_context"]
