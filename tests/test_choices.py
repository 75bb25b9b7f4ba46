"""The name lists of :mod:`summarizer.choices`: each registry has exactly their names, and one message refuses the
rest."""

from __future__ import annotations

import pytest

from summarizer import render
from summarizer.backends import OUTPUT_MODES
from summarizer.choices import FORMAT_NAMES, OUTPUT_MODE_NAMES, PIPELINE_NAMES, check_output_mode
from summarizer.errors import ConfigError, UnknownChoiceError
from summarizer.pipeline import PIPELINES
from summarizer.plans import PLANS


def test_every_registry_has_exactly_the_names_in_their_order() -> None:
    assert tuple(PIPELINES) == PIPELINE_NAMES
    assert set(PLANS) <= set(PIPELINE_NAMES)  # a plan is a pipeline by its name alone
    assert tuple(OUTPUT_MODES) == OUTPUT_MODE_NAMES
    assert FORMAT_NAMES == render.FORMATS


def test_an_unknown_name_is_one_line_naming_the_choices_and_carries_them() -> None:
    error = UnknownChoiceError("pipeline", "fast", PIPELINE_NAMES)
    assert error.message == (
        "unknown pipeline 'fast'; choose from cited, single, lean, detect, detect-window, percat, scan, sift, "
        "sift-each, sift-all, sift-wide, sift-narrow"
    )
    assert (error.setting, error.value, error.choices, error.exit_code) == ("pipeline", "fast", PIPELINE_NAMES, 2)
    assert isinstance(error, ConfigError)
    long = UnknownChoiceError("mode", "9" * 5000, ("A", "B"))  # the environment can hold anything
    assert long.message == "unknown mode '" + "9" * 56 + "…; choose from A, B" and long.value == "9" * 5000
    assert UnknownChoiceError("prompt", "x", []).message == "unknown prompt 'x'; choose from (none)"


def test_a_mode_is_one_of_the_table_or_an_instructor_mode_name() -> None:
    assert [check_output_mode(m) for m in ("GRAMMAR", "MD_JSON")] == ["GRAMMAR", "MD_JSON"]
    with pytest.raises(ConfigError) as caught:
        check_output_mode("grammar")
    assert caught.value.message == (
        "unknown mode 'grammar'; choose from TOOLS, JSON_SCHEMA, GRAMMAR (or an instructor mode name)"
    )
