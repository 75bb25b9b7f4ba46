"""Long articles: overlapping chunks that fit the model's context, and merging the records found in each.

Chunking rule: a chunk is a run of whole sentences (:func:`summarizer.sentences.split_sentences`) whose text,
from its first sentence's start to its last sentence's end, is at most ``max_chars`` long; the next chunk starts
``overlap`` sentences before the previous one ended, so an event told across a boundary is seen whole at least
once. A single sentence longer than ``max_chars`` is cut at whitespace. Each chunk keeps its ``offset`` in the
article, and every span found in a chunk is shifted by it: offsets always refer to the whole article.

Merge rule: two records of one category from different chunks are the same record when their evidence spans
overlap, or when their key fields match — trips: the same traveler and a common destination; summits: two
common participants (one if either lists only one) and no conflicting location; for both, the same status and
no conflicting ordinal or date (an article may tell of several trips by one person to one place, and without
those fields they cannot be told apart: a known limit); commitments: the same actor and
a similar action; skepticism: the same holder and a similar target (names by :func:`summarizer.names.name_similarity`
≥ 0.85, phrases by :func:`~summarizer.names.text_similarity` ≥ 0.8; the rules are ``same_event`` in
:data:`summarizer.categories.REGISTRY`). The merged record keeps the earlier chunk's
fields, fills its empty ones from the later, unions list fields, and keeps every distinct evidence span.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .articles import Article
from .categories import REGISTRY
from .names import SAME_NAME, name_similarity
from .schemas import OutputRecord, RecordFields
from .sentences import split_sentences

LIST_FIELDS = ("destinations", "participants")


@dataclass(frozen=True)
class Chunk:
    """A slice of the article: ``article.text[offset:offset + len(text)] == text``."""

    index: int
    offset: int
    text: str

    def article(self, whole: Article) -> Article:
        return replace(whole, text=self.text)


def _pieces(text: str, max_chars: int) -> list[tuple[int, int]]:
    """Sentence spans, with any sentence longer than ``max_chars`` cut at whitespace (or hard, if it has none)."""
    out: list[tuple[int, int]] = []
    for s, e in split_sentences(text):
        while e - s > max_chars:
            window = text[s : s + max_chars]
            cut = max(window.rfind(" "), window.rfind("\n"))
            cut = s + cut if cut > max_chars // 2 else s + max_chars
            out.append((s, cut))
            s = cut
            while s < e and text[s].isspace():
                s += 1
        if e > s:
            out.append((s, e))
    return out


def plan_chunks(text: str, max_chars: int, overlap: int = 2) -> list[Chunk]:
    """Split ``text`` into chunks of whole sentences by the rule of the module docstring."""
    if len(text) <= max_chars:
        return [Chunk(0, 0, text)]
    pieces = _pieces(text, max_chars)
    chunks: list[Chunk] = []
    i = 0
    while i < len(pieces):
        j = i
        while j + 1 < len(pieces) and pieces[j + 1][1] - pieces[i][0] <= max_chars:
            j += 1
        start, end = pieces[i][0], pieces[j][1]
        chunks.append(Chunk(len(chunks), start, text[start:end]))
        if j + 1 >= len(pieces):
            break
        i = max(j + 1 - overlap, i + 1)
    return chunks


def _spans(rec: OutputRecord) -> set[tuple[int, int]]:
    return {(s.start, s.end) for s in rec.spans if s.start is not None and s.end is not None}


def _overlap(a: OutputRecord, b: OutputRecord) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in _spans(a) for s2, e2 in _spans(b))


def same_record(category: str, a: OutputRecord, b: OutputRecord) -> bool:
    """Whether two records are one real-world record: their evidence overlaps, or the category's same-event rule
    (:attr:`summarizer.categories.Category.same_event`, stated in the module docstring) holds."""
    return _overlap(a, b) or REGISTRY[category].same_event(a, b)


def _union(xs: list[str], ys: list[str]) -> list[str]:
    out = list(xs)
    for y in ys:
        if not any(name_similarity(x, y) >= SAME_NAME for x in out):
            out.append(y)
    return out


def merged_fields(a: RecordFields, b: RecordFields) -> dict[str, Any]:
    """The fields of ``a`` that change when ``b`` is merged into it: empty ones filled, list fields unioned."""
    update: dict[str, Any] = {}
    for name in type(a).model_fields:
        va, vb = getattr(a, name), getattr(b, name)
        if name in LIST_FIELDS:
            update[name] = _union(va, vb)
        elif va is None and vb is not None:
            update[name] = vb
    return update


def merge_two(a: OutputRecord, b: OutputRecord) -> OutputRecord:
    """``a`` with its empty fields filled from ``b``, list fields unioned and ``b``'s new evidence appended."""
    update = merged_fields(a, b)
    seen = _spans(a)
    evidence, spans = list(a.evidence), list(a.spans)
    for quote, span in zip(b.evidence, b.spans, strict=True):
        if (span.start, span.end) not in seen or span.start is None:
            evidence.append(quote)
            spans.append(span)
    update.update(evidence=evidence, spans=spans, grounded=a.grounded and b.grounded)
    return a.model_copy(update=update)


def merge_events(category: str, records: list[RecordFields]) -> list[RecordFields]:
    """One record per real-world event among records of one text: a record that the category's same-event rule
    pairs with an earlier one is merged into it (:func:`merged_fields`, its new evidence quotes appended). Unlike
    :func:`merge_records`, shared evidence alone merges nothing: one sentence may tell of two events."""
    kept: list[RecordFields] = []
    for rec in records:
        k = next((k for k, old in enumerate(kept) if REGISTRY[category].same_event(old, rec)), None)
        if k is None:
            kept.append(rec)
            continue
        old = kept[k]
        evidence = [*old.evidence, *(q for q in rec.evidence if q not in old.evidence)]
        kept[k] = old.model_copy(update={**merged_fields(old, rec), "evidence": evidence})
    return kept


def merge_records(category: str, per_chunk: list[list[OutputRecord]]) -> list[OutputRecord]:
    """Records of all chunks in article order, each later duplicate merged into the first record it matches."""
    merged: list[OutputRecord] = []
    for records in per_chunk:
        earlier = len(merged)  # records of this chunk are never merged with each other
        for rec in records:
            k = next((k for k in range(earlier) if same_record(category, merged[k], rec)), None)
            if k is None:
                merged.append(rec)
            else:
                merged[k] = merge_two(merged[k], rec)
    return merged
