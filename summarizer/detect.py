"""The ``detect`` pipeline: read every sentence, then write records from the sentences that report something.

Every call starts with the same system prompt (the questions, the fields, a worked example from
:mod:`summarizer.examples`) and then the article as numbered sentences; only the question comes after, so llama.cpp
reads the system prompt once per run (it is the saved prefix) and the article once per article.

1. **Detect**: for each sentence the model shown, one token (T trip, S summit, C commitment, K skepticism, N none)
   with its top log-probabilities (:func:`summarizer.logprobs.token_logprobs`). A sentence is flagged for a
   category when that letter's probability, normalised over the five letters, reaches the category's threshold
   (:data:`THRESHOLDS`): a score, not the small model's greedy answer.
2. **Fill**: per category with flagged sentences, one structured call whose records may cite only those
   sentences; every field is required (nullable), so the model decides each one; ``[]`` is a valid answer, so the
   fill step also verifies. The fields are documented once, in the system prompt; the schema itself constrains
   the answer (the grammar on llama.cpp, the tool or response format elsewhere), never the question.
3. **Summary**, last, in its own call.

The ``percat`` pipeline skips step 1: each category's fill call may cite every sentence (one call per category
with the article as the shared prefix), the baseline that detection has to beat.

The five probabilities of every sentence go into ``meta.sentence_scores``, so thresholds can be chosen from a run
log without calling the model again.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model
from pydantic_core import PydanticUndefined

from .articles import Article
from .backends import Connection
from .calls import call_model
from .categories import REGISTRY
from .config import Settings
from .examples import LETTERS, NONE_LETTER, numbers_text, prompt_context
from .guard import screen
from .logprobs import token_logprobs
from .prompts import load_template, render_messages
from .schemas import CATEGORIES, Extracted, Extraction, PromptRef, Usage
from .sentences import numbered

PROMPT = "detect"
# Probability (normalised over T/S/C/K/N) at which a sentence is flagged, per category.
THRESHOLDS: dict[str, float] = {"trips": 0.2, "summits": 0.2, "commitments": 0.2, "skepticism": 0.2}
MAX_RECORDS = 8


class SummaryOnly(BaseModel):
    summary: str = Field(max_length=800, description="Two or three neutral sentences summarizing the article.")


@lru_cache(maxsize=256)
def fill_model(category: str, allowed: tuple[int, ...]) -> type[BaseModel]:
    """``{"records": [...]}`` for ``category``: every field required (nullable ones may be null), and ``sentences``
    limited to ``allowed``, so the grammar lets the model cite only the flagged sentences; at most one record per
    flagged sentence."""
    record = REGISTRY[category].cited
    fields: dict[str, Any] = {}
    for name, info in record.model_fields.items():
        if name == "sentences":
            cite: Any = Literal.__getitem__(allowed)  # type: ignore[attr-defined]
            fields[name] = (list[cite], Field(min_length=1, max_length=3, description=info.description))
            continue
        required = copy.copy(info)
        required.default = PydanticUndefined
        required.default_factory = None
        fields[name] = (info.annotation, required)
    rec = create_model(record.__name__, __doc__=record.__doc__, **fields)
    most = min(len(allowed), MAX_RECORDS)  # no more records than flagged sentences: the grammar stops a looping list
    return create_model("Records", records=(list[rec], Field(max_length=most)))  # type: ignore[valid-type]


def _question(prompt: str, role: str, **variables: Any) -> tuple[dict[str, str], PromptRef]:
    t = load_template(prompt, role)
    return {"role": "user", "content": t.render(**variables)}, t.ref


def _scores(
    conn: Connection,
    article: Article,
    settings: Settings,
    base: list[dict[str, str]],
    prompt: str,
    spans: list[tuple[int, int]],
    refs: dict[str, PromptRef],
) -> tuple[list[dict[str, float]], Usage]:
    """Step 1: per sentence, the probability of each letter (normalised over the five)."""
    usage = Usage()
    letters = [*LETTERS.values(), NONE_LETTER]
    scores: list[dict[str, float]] = []
    for n, (s, e) in enumerate(spans, 1):
        question, refs["sentence"] = _question(prompt, "sentence", n=n, text=article.text[s:e])
        reply = token_logprobs(conn, [*base, question], settings, source=article.source, max_tokens=1, top=10)
        usage += reply.usage
        scores.append({x: round(reply.probability(x, *(y for y in letters if y != x)), 4) for x in letters})
    return scores, usage


def _extract(conn: Connection, article: Article, settings: Settings, *, detect: bool) -> Extracted:
    """Detect (or, without ``detect``, flag every sentence), fill, summarize (see the module docstring)."""
    prompt = settings.prompt or PROMPT
    spans = screen(article.text).visible
    published = article.published.isoformat() if article.published else None
    base, prompt_refs = render_messages(
        prompt, article=article.text, published=published, sentences=numbered(article.text, spans), schema=None,
        **prompt_context(),
    )  # fmt: skip
    refs = {r.name: r for r in prompt_refs}
    usage = Usage()
    scores: list[dict[str, float]] = []
    if detect:
        scores, usage = _scores(conn, article, settings, base, prompt, spans, refs)
    lists: dict[str, list[Any]] = {}
    for cat in CATEGORIES:
        if detect:
            flagged = tuple(n for n, p in enumerate(scores, 1) if p[LETTERS[cat]] >= THRESHOLDS[cat])
        else:
            flagged = tuple(range(1, len(spans) + 1))
        lists[cat] = []
        if not flagged:
            continue
        model = fill_model(cat, flagged)
        numbers = numbers_text(list(flagged)) if detect else f"[1] to [{len(spans)}]"
        question, refs["fill"] = _question(prompt, "fill", kind=cat, numbers=numbers)
        filled, used = call_model(conn, [*base, question], settings, f"{article.source} ({cat})", model)
        usage += used
        for rec in getattr(filled, "records"):  # noqa: B009
            cited = list(dict.fromkeys(rec.sentences))
            quotes = [article.text[slice(*spans[k - 1])] for k in cited]
            lists[cat].append({**rec.model_dump(exclude={"sentences"}), "evidence": quotes})
    question, refs["summary"] = _question(prompt, "summary")
    summary, used = call_model(conn, [*base, question], settings, f"{article.source} (summary)", SummaryOnly)
    usage += used
    records: dict[str, Any] = {
        cat: [REGISTRY[cat].fields.model_construct(**rec) for rec in lists[cat]] for cat in CATEGORIES
    }
    extraction = Extraction.model_construct(summary=summary.summary, **records)
    return Extracted(extraction, usage, list(refs.values()), scores or None)


def detect_call(conn: Connection, article: Article, settings: Settings) -> Extracted:
    """The ``detect`` pipeline: score every sentence, fill each category from its flagged sentences."""
    return _extract(conn, article, settings, detect=True)


def percat_call(conn: Connection, article: Article, settings: Settings) -> Extracted:
    """The ``percat`` pipeline: no detection; one fill call per category over every sentence, the article shared."""
    return _extract(conn, article, settings, detect=False)
