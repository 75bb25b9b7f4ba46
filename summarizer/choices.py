"""The names a setting chooses between, in a module that imports nothing heavy (``--help`` reads it).

Rules: each name list is written once, here, as a ``Literal`` type; the registry it names is keyed by that type
(:data:`summarizer.pipeline.PIPELINES` by :data:`PipelineName`, :data:`summarizer.backends.OUTPUT_MODES` by
:data:`OutputModeName`), so a key that is not a name here fails type checking and a name with no entry fails
``tests/test_choices.py``. :data:`FormatName` names :data:`summarizer.render.FORMATS` (the same test holds them
equal). :class:`~summarizer.config.Settings` checks ``pipeline`` and ``mode`` against these names when it is
built; a name outside its list is an :class:`~summarizer.errors.UnknownChoiceError` naming the choices.
"""

from __future__ import annotations

from typing import Literal, TypeGuard, get_args

from .errors import UnknownChoiceError

PipelineName = Literal[
    "cited",
    "single",
    "lean",
    "detect",
    "detect-window",
    "percat",
    "scan",
    "sift",
    "sift-each",
    "sift-all",
    "sift-wide",
    "sift-narrow",
]
PIPELINE_NAMES: tuple[PipelineName, ...] = get_args(PipelineName)
DEFAULT_PIPELINE: PipelineName = "sift-narrow"

OutputModeName = Literal["TOOLS", "JSON_SCHEMA", "GRAMMAR"]
OUTPUT_MODE_NAMES: tuple[OutputModeName, ...] = get_args(OutputModeName)

# The names of summarizer.render.FORMATS, for ``--format`` (importing render means importing every schema).
FormatName = Literal["markdown", "json", "jsonl", "plover", "html"]
FORMAT_NAMES: tuple[FormatName, ...] = get_args(FormatName)

# The names of summarizer.timeline_render.RENDERERS, for ``summarizer timeline --format``.
TimelineFormatName = Literal["markdown", "json", "csv", "html"]
TIMELINE_FORMAT_NAMES: tuple[TimelineFormatName, ...] = get_args(TimelineFormatName)


def is_pipeline(name: str) -> TypeGuard[PipelineName]:
    return name in PIPELINE_NAMES


def is_output_mode(name: str) -> TypeGuard[OutputModeName]:
    return name in OUTPUT_MODE_NAMES


def check_output_mode(name: str) -> str:
    """``name`` if it is an output mode of the table or one of instructor's own mode names, else
    :class:`~summarizer.errors.UnknownChoiceError`."""
    if is_output_mode(name):
        return name
    import instructor  # heavy: loaded only for a mode outside the table

    if name not in instructor.Mode.__members__:
        raise UnknownChoiceError("mode", name, OUTPUT_MODE_NAMES, " (or an instructor mode name)")
    return name
