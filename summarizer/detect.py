"""The ``detect`` pipeline: read every sentence, then write records from the sentences that report something.

Every call starts with the same system prompt (the questions, the fields, a worked example from
:mod:`summarizer.examples`) and then the article as numbered sentences; only the question comes after, so llama.cpp
reads the system prompt once per run (it is the saved prefix) and the article once per article.

0. **Topic** (plans with ``topic``, :data:`~summarizer.plans.TOPIC`): one token, Y or N, whether the article reports
   diplomacy between governments at all; below the plan's threshold the article gets no records, and only the
   summary is asked after it (P(Y) goes into ``meta.topic_scores``).
1. **Detect**: for each sentence the model is shown, one token (T trip, S summit, C commitment, K skepticism, N
   none) with its top log-probabilities (:func:`summarizer.logprobs.token_logprobs`). ``detect`` asks about one
   sentence at a time and repeats it in the question; ``detect-window`` asks about a window of sentences
   (:func:`summarizer.sentences.windows`) and reads one letter per line of a grammar-forced answer. A sentence is
   flagged for a category when that letter's probability, normalised over the five letters, reaches the category's
   threshold (:data:`~summarizer.plans.THRESHOLDS`): a score, not the small model's greedy answer.
2. **Fill**: per category with flagged sentences, one structured call that repeats those sentences and whose records
   may cite only them (at most one record more than there are sentences); every field is required (nullable), so the
   model decides each one; ``[]`` is a valid answer. Records of one real-world event are then merged by the
   category's same-event rule. The fields are documented once, in the system prompt; the schema constrains the
   answer (the grammar on llama.cpp, the tool or response format elsewhere), never the question.
3. **Check**: each record as one plain statement (the category's ``claim``) with its cited sentences; one token, Y
   or N. P(Y) is the record's ``score`` in the output, and a record below its category's threshold (the plan's
   ``verify``, else :data:`~summarizer.plans.VERIFY`) is dropped: the small model enumerates the flagged sentences
   when it fills, and the check is where a record is rejected. A record is also dropped unless one of its sentences
   reached the category's :data:`~summarizer.plans.ANCHOR` score in step 1: the fill may read weakly flagged
   sentences, a record needs a confident one. A commitment is also dropped unless a sentence it cites has one of the
   guide's commitment words (:data:`~summarizer.plans.CUES`).
4. **Summary**, last, in its own call.

The ``scan`` pipeline asks the same questions as ``detect`` and reads the answers differently. A category's score
for a sentence is its letter's probability against N alone, ``p(X) / (p(X) + p(N))``
(:func:`~summarizer.plans.flag_score`): a sentence that reports a trip and the summit it prepares scores high for
both, where the five-way share gives the summit what the trip leaves. The fill is shown at most
:data:`~summarizer.plans.MAX_RECORDS` flagged sentences per category, the highest scoring, wherever they are in the
article (``detect`` shows every flagged sentence and the model, which writes about one record per sentence in order,
stops after the first five: its recall in the last quarter of an article is 0). Commitments are shown only sentences
with a cue word, and the fill does not write ``date``, which the program resolves from ``when``
(:mod:`summarizer.dates`). ``sift`` is ``scan`` whose commitments fill writes ``speaker``, who says the sentence,
before the record's fields (:mod:`summarizer.plans`), and ``sift-each`` fills commitments and skepticism one shown
sentence per call; ``sift-all`` fills every category so, and asks the topic question first; ``sift-narrow`` (the
default pipeline) and ``sift-wide`` show its fill three or eight sentences per kind instead of five. Each pipeline's
choices are one :class:`~summarizer.plans.Plan` in :data:`~summarizer.plans.PLANS`, thresholds and rules included.

The ``percat`` pipeline skips step 1: each category's fill call may cite every sentence (one call per category
with the article as the shared prefix), the baseline that detection has to beat.

The five probabilities of every sentence go into ``meta.sentence_scores`` and each record's check into its
``score``, so ``bench/thresholds.py`` chooses thresholds from a
run log without calling the model again. In ``detect`` the check, anchor and cue rules do not change which calls
are made, so a recorded run replays under any of them; ``scan``'s ``cue_first`` and ``top`` choose what the fill
is shown, so they do, and so does a plan's ``each``. The topic threshold only removes calls: a recording replays at
any threshold at or above the one it was made at (the run log's seconds are then the server's for the answers the
replay asked, :func:`summarizer.eval.replay.played_subset`).
The topic question is asked per chunk of a long article, and a chunk below the threshold gets no records.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model
from pydantic_core import PydanticUndefined

from . import plans
from .articles import Article
from .backends import Connection
from .calls import call_model
from .categories import REGISTRY
from .chunks import merge_events
from .config import Settings
from .dates import resolve_when, tense_of
from .examples import LETTERS, NONE_LETTER, numbers_text, prompt_context
from .guard import screen
from .logprobs import distribution, token_logprobs
from .plans import PLANS, Plan, flag_score
from .prompts import load_template, render_messages
from .schemas import CATEGORIES, Extracted, Extraction, PromptRef, Usage
from .sentences import numbered, windows

PROMPT = "detect"
ANSWERS = [*LETTERS.values(), NONE_LETTER]  # what the detect step may answer for a sentence
YES, NO = "Y", "N"


class SummaryOnly(BaseModel):
    summary: str = Field(max_length=800, description="Two or three neutral sentences summarizing the article.")


@lru_cache(maxsize=256)
def fill_model(
    category: str, allowed: tuple[int, ...], omit: frozenset[str] = frozenset(), speaker: bool = False
) -> type[BaseModel]:
    """``{"records": [...]}`` for ``category``: every field required (nullable ones may be null) but those in
    ``omit``, and ``sentences`` limited to ``allowed``, so the grammar lets the model cite only the flagged
    sentences; at most one record more than there are flagged sentences (a sentence may tell of two events).
    With ``speaker``, the field ``speaker`` (who says it) follows ``sentences``, before the record's fields."""
    record = REGISTRY[category].cited
    fields: dict[str, Any] = {}
    for name, info in record.model_fields.items():
        if name in omit:
            continue
        if name == "sentences":
            cite: Any = Literal.__getitem__(allowed)  # type: ignore[attr-defined]
            fields[name] = (list[cite], Field(min_length=1, max_length=3, description=info.description))
            if speaker:
                fields["speaker"] = (str | None, Field(description="who says it; null when the article reports it"))
            continue
        required = copy.copy(info)
        required.default = PydanticUndefined
        required.default_factory = None
        fields[name] = (info.annotation, required)
    rec = create_model(record.__name__, __doc__=record.__doc__, **fields)
    most = min(len(allowed) + 1, plans.MAX_RECORDS)  # about one record per flagged sentence: the grammar stops a loop
    return create_model("Records", records=(list[rec], Field(max_length=most)))  # type: ignore[valid-type]


def _question(settings: Settings, prompt: str, role: str, **variables: Any) -> tuple[dict[str, str], PromptRef]:
    t = load_template(prompt, role, settings)
    return {"role": "user", "content": t.render(**variables)}, t.ref


def _letter_scores(
    conn: Connection, article: Article, settings: Settings, messages: list[dict[str, str]], letters: list[str]
) -> tuple[dict[str, float], Usage]:
    """One token's probability for each of ``letters``, normalised over them."""
    reply = token_logprobs(conn, messages, settings, source=article.source, max_tokens=1, top=10)
    if not reply.tokens:
        return dict.fromkeys(letters, 0.0), reply.usage
    return {x: round(p, 4) for x, p in distribution(reply.tokens[0], letters).items()}, reply.usage


def window_grammar(first: int, last: int, letters: list[str]) -> str:
    """llguidance grammar of a window's answer: the lines ``[n] X`` for ``n`` in ``first..last`` are forced and
    only each ``X``, one of ``letters``, is the model's choice."""
    lines = ' "\\n" '.join(f'"[{n}] " L' for n in range(first, last + 1))
    return "%llguidance {}\nstart: " + lines + "\nL: " + " | ".join(f'"{x}"' for x in letters) + "\n"


def _sentence_scores(
    conn: Connection,
    article: Article,
    settings: Settings,
    base: list[dict[str, str]],
    prompt: str,
    spans: list[tuple[int, int]],
    refs: dict[str, PromptRef],
) -> tuple[list[dict[str, float]], Usage]:
    """Step 1 one sentence at a time, the sentence repeated in the question: its letter probabilities."""
    scores: list[dict[str, float]] = []
    usage = Usage()
    for n, (s, e) in enumerate(spans, 1):
        question, refs["sentence"] = _question(settings, prompt, "sentence", n=n, text=article.text[s:e])
        probs, used = _letter_scores(conn, article, settings, [*base, question], ANSWERS)
        scores.append(probs)
        usage += used
    return scores, usage


def _window_scores(
    conn: Connection,
    article: Article,
    settings: Settings,
    base: list[dict[str, str]],
    prompt: str,
    count: int,
    refs: dict[str, PromptRef],
    size: int,
) -> tuple[list[dict[str, float]], Usage]:
    """Step 1 over windows of sentences (:func:`summarizer.sentences.windows`): each sentence's letter
    probabilities, the mean over the windows that show it. A sentence the answer skipped (an endpoint that applies
    no grammar) scores N."""
    seen: list[list[dict[str, float]]] = [[] for _ in range(count)]
    usage = Usage()
    for first, last in windows(count, size):
        question, refs["window"] = _question(settings, prompt, "window", first=first, last=last)
        grammar = window_grammar(first, last, ANSWERS) if conn.mode.compact_grammar else None
        reply = token_logprobs(
            conn, [*base, question], settings, source=article.source, max_tokens=6 * (last - first + 1), top=10,
            grammar=grammar,
        )  # fmt: skip
        usage += reply.usage
        for n, probs in zip(range(first, last + 1), reply.choices(ANSWERS), strict=False):
            seen[n - 1].append(probs)
    none = {x: float(x == NONE_LETTER) for x in ANSWERS}
    scores = [{x: round(sum(p[x] for p in ps) / len(ps), 4) for x in ANSWERS} if ps else none for ps in seen]
    return scores, usage


def flagged_sentences(plan: Plan, category: str, scores: list[dict[str, float]]) -> dict[int, float]:
    """The sentence numbers (from 1) whose score for ``category`` reaches the plan's threshold, with that score."""
    letter, least = LETTERS[category], plan.thresholds[category]
    value = {n: flag_score(p, letter, plan.versus_none) for n, p in enumerate(scores, 1)}
    return {n: v for n, v in value.items() if v >= least}


def shown_sentences(plan: Plan, category: str, scores: list[dict[str, float]], texts: list[str]) -> tuple[int, ...]:
    """The sentence numbers the fill is shown for ``category``: those flagged (and with a cue word, if the plan
    says so), at most ``plan.top`` of them, the highest scoring, in article order."""
    cue = plans.CUES.get(category) if plan.cue_first else None
    value = flagged_sentences(plan, category, scores)
    flagged = [n for n in value if cue is None or cue.search(texts[n - 1])]
    if plan.top is not None:
        flagged = sorted(flagged, key=lambda n: (-value[n], n))[: plan.top]
    return tuple(sorted(flagged))


def _extract(conn: Connection, article: Article, settings: Settings, plan: Plan) -> Extracted:
    """Detect (by ``plan.window``), fill, check, summarize (see the module docstring)."""
    window = plan.window
    prompt = settings.prompt or PROMPT
    spans = screen(article.text).visible
    published = article.published.isoformat() if article.published else None
    base, prompt_refs = render_messages(
        prompt, settings, article=article.text, published=published, sentences=numbered(article.text, spans),
        schema=None, **prompt_context(),
    )  # fmt: skip
    refs = {r.name: r for r in prompt_refs}
    usage = Usage()
    p_topic: float | None = None  # P(Y) that the article reports diplomacy, when the plan asks
    off_topic = False  # below the plan's topic threshold: no detection, no fill, no check; the summary still
    if plan.topic is not None:  # asked first, so an off-topic article costs this question and the summary
        question, refs["topic"] = _question(settings, prompt, "topic")
        yes, usage = _letter_scores(conn, article, settings, [*base, question], [YES, NO])
        if any(yes.values()):  # all 0.0: no token to read, taken as on topic (no records dropped on no answer)
            p_topic = yes[YES]
            off_topic = p_topic < plan.topic
    scores: list[dict[str, float]] = []
    if window == 1 and not off_topic:
        scores, used = _sentence_scores(conn, article, settings, base, prompt, spans, refs)
        usage += used
    elif window > 1 and not off_topic:
        scores, used = _window_scores(conn, article, settings, base, prompt, len(spans), refs, window)
        usage += used
    texts = [article.text[slice(*sp)] for sp in spans]
    lists: dict[str, Any] = {cat: [] for cat in CATEGORIES}  # field records, evidence as quotes
    checked: dict[str, list[float]] = {cat: [] for cat in CATEGORIES}
    for cat in () if off_topic else CATEGORIES:
        if window:
            flagged = shown_sentences(plan, cat, scores, texts)
            groups = [(n,) for n in flagged] if cat in plan.each else [flagged]
        else:
            flagged = tuple(range(1, len(spans) + 1))
            groups = [flagged]
        if not flagged:
            continue
        found, speaker = [], cat in plan.speaker
        for group in groups:  # one fill call per group of sentences: all of them, or each alone (``plan.each``)
            if window:
                numbers, shown = numbers_text(list(group)), [(n, article.text[slice(*spans[n - 1])]) for n in group]
            else:
                numbers, shown = f"[1] to [{len(spans)}]", []
            question, refs["fill"] = _question(
                settings, prompt, "fill", kind=cat, numbers=numbers, flagged=shown, speaker=speaker
            )
            filled, used = call_model(
                conn,
                [*base, question],
                settings,
                f"{article.source} ({cat})",
                fill_model(cat, group, plan.omit, speaker),
            )
            usage += used
            found += [
                REGISTRY[cat].fields.model_construct(
                    **_resolved(rec.model_dump(exclude={"sentences", "speaker"}), plan, article),
                    evidence=[article.text[slice(*spans[k - 1])] for k in dict.fromkeys(rec.sentences)],
                )
                for rec in getattr(filled, "records")  # noqa: B009
            ]
        lists[cat] = merge_events(cat, found)
        checked[cat] = []
        for rec in lists[cat]:
            claim = REGISTRY[cat].claim(rec)
            question, refs["verify"] = _question(
                settings, prompt, "verify", kind=cat, claim=claim, evidence=rec.evidence
            )
            yes, used = _letter_scores(conn, article, settings, [*base, question], [YES, NO])
            usage += used
            checked[cat].append(yes[YES])
        floor = plan.anchor[cat] if plan.anchor is not None and window else None
        anchor = anchor_scores(article, spans, scores, flagged, cat, lists[cat], plan) if floor is not None else None
        cue, verify = plans.CUES.get(cat), (plan.verify or plans.VERIFY)[cat]
        kept = [
            k
            for k, p in enumerate(checked[cat])
            if p >= verify and (anchor is None or floor is None or anchor[k] >= floor)
            and (cue is None or any(cue.search(q) for q in lists[cat][k].evidence))
        ]  # fmt: skip
        lists[cat], checked[cat] = [lists[cat][k] for k in kept], [checked[cat][k] for k in kept]
    question, refs["summary"] = _question(settings, prompt, "summary")
    summary, used = call_model(conn, [*base, question], settings, f"{article.source} (summary)", SummaryOnly)
    usage += used
    extraction = Extraction.model_construct(summary=summary.summary, **lists)
    return Extracted(extraction, usage, list(refs.values()), scores or None, checked, p_topic)


def _resolved(fields: dict[str, Any], plan: Plan, article: Article) -> dict[str, Any]:
    """A filled record's fields; a ``date`` the fill did not write is resolved from ``when`` here, before the
    same-event merge that compares dates (normalization resolves it again, with the final status)."""
    if "date" in plan.omit and "when" in fields:
        resolved = resolve_when(fields["when"], article.published, tense=tense_of(fields.get("status")))
        fields["date"] = resolved.value if resolved is not None else None
    return fields


def anchor_scores(
    article: Article,
    spans: list[tuple[int, int]],
    scores: list[dict[str, float]],
    flagged: tuple[int, ...],
    category: str,
    records: list[Any],
    plan: Plan,
) -> list[float]:
    """Per record, the highest detection score for ``category`` among the sentences it cites (its evidence is
    those sentences' text)."""
    number = {article.text[slice(*spans[n - 1])]: n for n in flagged}
    letter = LETTERS[category]
    return [
        max((flag_score(scores[number[q] - 1], letter, plan.versus_none) for q in rec.evidence if q in number),
            default=0.0)
        for rec in records
    ]  # fmt: skip


def plan_call(name: str) -> Callable[[Connection, Article, Settings], Extracted]:
    """The pipeline that runs ``PLANS[name]`` (see the module docstring); the plan is looked up at each call."""

    def call(conn: Connection, article: Article, settings: Settings) -> Extracted:
        return _extract(conn, article, settings, PLANS[name])

    return call
