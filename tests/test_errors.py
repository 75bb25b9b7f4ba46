"""The error taxonomy: one root, each failure its own class and exit code, never the root raised bare."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

import summarizer
from summarizer import errors

PACKAGE = Path(summarizer.__file__).parent


def test_the_package_never_raises_the_root_error_bare() -> None:
    """Exit 1 means "some articles failed" (README): a bare SummarizerError would exit 1 for anything else."""
    bare = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                func = node.exc.func
                if isinstance(func, ast.Name) and func.id == "SummarizerError":
                    bare.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert bare == []


def test_every_error_is_exported_with_the_exit_code_the_readme_gives() -> None:
    codes = {
        name: cls.exit_code
        for name, cls in vars(errors).items()
        if isinstance(cls, type) and issubclass(cls, errors.SummarizerError)
    }
    assert set(codes) <= set(summarizer.__all__)
    assert codes == {
        "SummarizerError": 1,
        "ConfigError": 2,
        "UnknownChoiceError": 2,
        "InputError": 2,
        "OutputError": 2,
        "RunLogError": 2,
        "ArticleTooLongError": 2,
        "GoldFormatError": 2,
        "ModelFileError": 3,
        "BackendError": 4,
        "LogprobsUnavailableError": 4,
        "ExtractionError": 5,
        "RunawayCompletionError": 5,
        "ReplayMissError": 6,
        "RegressionError": 7,
    }


class _Two(BaseModel):
    a: int
    b: int


@pytest.mark.parametrize(
    ("data", "line"),
    [
        ({"a": "x", "b": 1}, "a: Input should be a valid integer, unable to parse string as an integer"),
        ({}, "a: Field required (and 1 more)"),
    ],
)
def test_a_validation_error_is_one_line(data: dict[str, object], line: str) -> None:
    with pytest.raises(ValidationError) as info:
        _Two.model_validate(data)
    assert errors.first_error(info.value) == line
