"""The category registry: every entry's classes agree with each other and with the extraction schemas, and the
pipelines, merger, scorer and renderer read it."""

from __future__ import annotations

import typing

import pytest

from summarizer.categories import REGISTRY
from summarizer.examples import LETTERS, NONE_LETTER
from summarizer.schemas import CATEGORIES, CitedExtraction, Extraction, Grounding


def test_the_registry_is_the_categories_in_schema_order() -> None:
    assert tuple(REGISTRY) == CATEGORIES
    for schema, attr in ((Extraction, "fields"), (CitedExtraction, "cited")):
        lists = [n for n in schema.model_fields if n != "summary"]
        assert lists == list(CATEGORIES)
        for name in lists:
            (record,) = typing.get_args(schema.model_fields[name].annotation)
            assert record is getattr(REGISTRY[name], attr)


@pytest.mark.parametrize("name", CATEGORIES)
def test_each_entrys_classes_agree(name: str) -> None:
    cat = REGISTRY[name]
    core = set(cat.fields.model_fields) - {"evidence"}
    assert set(cat.cited.model_fields) - {"sentences"} == core  # the same fields, cited by sentence number
    assert issubclass(cat.output, cat.fields) and issubclass(cat.output, Grounding)
    assert set(cat.field_rules) == core  # the scorer compares every field
    assert cat.who in core and set(cat.lean_drop) <= core
    assert cat.fields.__doc__ == cat.cited.__doc__  # the model reads one definition


def test_letters_are_distinct_single_characters() -> None:
    letters = [*LETTERS.values(), NONE_LETTER]
    assert len(set(letters)) == len(letters) and all(len(x) == 1 for x in letters)


def test_same_who_reads_names_and_name_lists() -> None:
    trip = REGISTRY["trips"].fields
    a = trip(evidence=["x y z"], traveler="Mike Pompeo", destinations=["Pyongyang"], status="planned")
    b = a.model_copy(update={"traveler": "Pompeo"})
    c = a.model_copy(update={"traveler": "Kim Jong Un"})
    assert REGISTRY["trips"].same_who(a, b) and not REGISTRY["trips"].same_who(a, c)
    summit = REGISTRY["summits"].fields
    s1 = summit(evidence=["x y z"], participants=["Donald Trump", "Kim Jong Un"], status="planned")
    s2 = s1.model_copy(update={"participants": ["Mike Pompeo", "Kim Jong Un"]})
    assert REGISTRY["summits"].same_who(s1, s1) and not REGISTRY["summits"].same_who(s1, s2)


def test_headlines_say_who() -> None:
    trip = REGISTRY["trips"].output(
        evidence=["x y z"], traveler="Mike Pompeo", destinations=["Pyongyang"], status="planned", ordinal=4
    )
    assert REGISTRY["trips"].headline(trip) == "**Mike Pompeo** → Pyongyang — planned — trip #4"
