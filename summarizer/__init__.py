"""summarizer: grounded trips, summits, commitments and skepticism from diplomatic news.

Public API (importing it does not import openai or instructor)::

    from summarizer import summarize, ArticleSummary
    result = summarize(text, published="2018-09-26")
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import Summarizer, asummarize, summarize
from .articles import Article, read_article
from .config import Settings
from .errors import (
    ArticleTooLongError,
    BackendError,
    ConfigError,
    ExtractionError,
    GoldFormatError,
    InputError,
    LogprobsUnavailableError,
    ModelFileError,
    RegressionError,
    ReplayMissError,
    RunawayCompletionError,
    SummarizerError,
)
from .schemas import ArticleSummary, Commitment, Skepticism, Span, Summit, Trip

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
    "RegressionError",
    "ReplayMissError",
    "RunawayCompletionError",
    "Settings",
    "Skepticism",
    "Span",
    "Summarizer",
    "SummarizerError",
    "Summit",
    "Trip",
    "__version__",
    "asummarize",
    "read_article",
    "summarize",
]
