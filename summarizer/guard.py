"""Program-side guards against hostile articles and invented values: the model is never the only line of defence.

Withholding rule: a sentence is *withheld* — not shown to the model, reported in ``meta.withheld`` — when it is
addressed to a language model rather than to readers: it asks to ignore or override instructions, speaks to "the
assistant"/"the model"/"the AI", carries chat-template or tool-call markup (``<|im_start|>``, ``<tool_call>``,
``</system>``), is a JSON object with this tool's own output keys, or is a line shaped like this tool's prompt
labels (``Publication date:``, ``Article sentences:``); the rest of its paragraph goes with it. News that
*reports* on AI in ordinary prose does not match. The remaining sentences are numbered without gaps.

Date rule: a resolved ``date`` is kept only if its year is written in the record's evidence, or lies within one
year of the publication date; otherwise it is set to null (a small model resolves relative dates against dates
it reads in the text, hostile or not).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .sentences import split_sentences

_ADDRESSED_TO_A_MODEL = re.compile(
    r"\b(ignore|disregard|forget|override)\b[^.\n]{0,30}\b(instructions|prompts?)\b"
    r"|\byou are (now|no longer)\b[^.\n]{0,60}\b(assistant|model|ai|tool|bot|extractor|program)\b"
    r"|\b(dear|attention|note to|message to|instructions? (to|for)) (the )?(assistant|ai|language model|chatbot|llm)\b"
    r"|\b(system|developer) (note|prompt|message|instructions?)\s*(:|to the\b)"
    r"|<\|[a-z_]{2,20}\|>|</?(tool_call|function_call|system|assistant|instructions?|article)>",
    re.IGNORECASE,
)
_OWN_OUTPUT_JSON = re.compile(r"\{\s*\"(summary|trips|summits|commitments|skepticism|sentences|name|arguments)\"\s*:")
_PROMPT_LABEL = re.compile(r"^\s*(publication date|article sentences)\s*:", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")


def addressed_to_a_model(sentence: str) -> bool:
    """Whether ``sentence`` is withheld by the rule in the module docstring."""
    return bool(
        _ADDRESSED_TO_A_MODEL.search(sentence) or _OWN_OUTPUT_JSON.search(sentence) or _PROMPT_LABEL.match(sentence)
    )


def withheld(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """1-based numbers of the sentences (``spans`` into ``text``) to withhold: every sentence of a paragraph (a
    line) in which one sentence is addressed to a model, since an injection runs on past its first sentence."""
    flagged_lines = {text.count("\n", 0, s) for s, e in spans if addressed_to_a_model(text[s:e])}
    return {i for i, (s, _) in enumerate(spans, 1) if text.count("\n", 0, s) in flagged_lines}


@dataclass(frozen=True)
class Screened:
    """A text's sentences (character spans) and the 1-based numbers of those withheld from the model."""

    spans: tuple[tuple[int, int], ...]
    hidden: frozenset[int]

    @property
    def visible(self) -> list[tuple[int, int]]:
        return [sp for n, sp in enumerate(self.spans, 1) if n not in self.hidden]

    @property
    def withheld_spans(self) -> list[tuple[int, int]]:
        return [sp for n, sp in enumerate(self.spans, 1) if n in self.hidden]


@lru_cache(maxsize=16)
def screen(text: str) -> Screened:
    """Split ``text`` into sentences and apply the withholding rule, once per text (pipelines and the run's
    report of what was withheld share the result)."""
    spans = split_sentences(text)
    return Screened(tuple(spans), frozenset(withheld(text, spans)))


def plausible_date(date: str | None, evidence: list[str], published: dt.date | None) -> bool:
    """Whether a resolved ``date`` passes the date rule of the module docstring."""
    if not date:
        return True
    years = {int(y) for y in _YEAR.findall(date)}
    if not years:
        return False
    written = {int(y) for q in evidence for y in _YEAR.findall(q)}
    near = set() if published is None else {published.year - 1, published.year, published.year + 1}
    return years <= written | near
