"""summarizer: grounded trips, summits, commitments and skepticism from diplomatic news.

Public API (each name loads its module on first use; importing it does not import openai or instructor)::

    from summarizer import summarize, ArticleSummary
    result = summarize(text, published="2018-09-26")
"""

from __future__ import annotations

__version__ = "0.1.0"

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import (  # light (no third-party import): every error is importable without loading the library
    ArticleTooLongError,
    BackendError,
    ConfigError,
    ExtractionError,
    GoldFormatError,
    InputError,
    LogprobsUnavailableError,
    ModelFileError,
    OutputError,
    RegressionError,
    ReplayMissError,
    RunawayCompletionError,
    RunLogError,
    SummarizerError,
    UnknownChoiceError,
)

if TYPE_CHECKING:
    from .api import Summarizer, asummarize, summarize
    from .articles import Article, read_article
    from .config import Settings
    from .schemas import ArticleSummary, Commitment, Skepticism, Span, Summit, Trip

# The public names, each loaded from its module on first use: ``import summarizer.cli`` (every ``--help``) then
# imports nothing of the library it does not use. The one place the package defers its own modules.
_LAZY_MODULES = {
    **dict.fromkeys(["Summarizer", "asummarize", "summarize"], "api"),
    **dict.fromkeys(["Article", "read_article"], "articles"),
    "Settings": "config",
    **dict.fromkeys(["ArticleSummary", "Commitment", "Skepticism", "Span", "Summit", "Trip"], "schemas"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY_MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY_MODULES})


__all__ = [
    "Article",
    "ArticleSummary",
    "ArticleTooLongError",
    "BackendError",
    "Commitment",
    "ConfigError",
    "ExtractionError",
    "GoldFormatError",
    "InputError",
    "LogprobsUnavailableError",
    "ModelFileError",
    "OutputError",
    "RegressionError",
    "ReplayMissError",
    "RunLogError",
    "RunawayCompletionError",
    "Settings",
    "Skepticism",
    "Span",
    "Summarizer",
    "SummarizerError",
    "Summit",
    "Trip",
    "UnknownChoiceError",
    "__version__",
    "asummarize",
    "read_article",
    "summarize",
]
