"""Prompt templates: ``prompts/<name>.<role>.j2`` files rendered with Jinja2's StrictUndefined.

A missing variable is an error, never an empty string. Each rendered prompt is identified by its template
name and the SHA-256 of the template file's bytes, recorded in every output and run log. The templates are read
from the folder the caller's :class:`~summarizer.config.Settings` name (``prompts_dir``, from
``SUMMARIZER_PROMPTS_DIR``), else from the ``prompts/`` folder shipped with the package.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, StrictUndefined, UndefinedError

from .errors import ConfigError
from .examples import prompt_context
from .schemas import PromptRef

if TYPE_CHECKING:
    from .config import Settings

ROLES = ("system", "user")
SENTINEL = "\x00SUMMARIZER-ARTICLE\x00"  # every article-dependent value, when a prompt is cut to its fixed prefix


def prompts_dir(settings: Settings) -> Path:
    """``settings.prompts_dir`` if set, else the ``prompts/`` folder shipped with the package."""
    if settings.prompts_dir is not None:
        return settings.prompts_dir
    here = Path(__file__).resolve().parent
    for candidate in (here / "prompts", here.parent / "prompts"):
        if candidate.is_dir():
            return candidate
    return here.parent / "prompts"


@dataclass(frozen=True)
class Template:
    name: str
    source: str

    @property
    def ref(self) -> PromptRef:
        return PromptRef(name=self.name, sha256=hashlib.sha256(self.source.encode("utf-8")).hexdigest())

    def render(self, **variables: Any) -> str:
        env = Environment(undefined=StrictUndefined, keep_trailing_newline=False, autoescape=False)
        try:
            return env.from_string(self.source).render(**variables).strip()
        except UndefinedError as exc:
            raise ConfigError(f"prompt template {self.name}: {exc.message}") from None


@lru_cache(maxsize=32)
def _load(path: Path) -> Template:
    return Template(name=path.name, source=path.read_text(encoding="utf-8"))


def prompt_names(settings: Settings) -> list[str]:
    """The prompt names :func:`prompts_dir` holds templates for, sorted."""
    folder = prompts_dir(settings)
    return sorted({p.name.split(".", 1)[0] for p in folder.glob("*.j2")}) if folder.is_dir() else []


def load_template(name: str, role: str, settings: Settings) -> Template:
    """Load ``<name>.<role>.j2`` from :func:`prompts_dir`."""
    path = prompts_dir(settings) / f"{name}.{role}.j2"
    if not path.is_file():
        raise ConfigError(f"prompt template not found: {path}")
    return _load(path)


def render_messages(name: str, settings: Settings, **variables: Any) -> tuple[list[dict[str, str]], list[PromptRef]]:
    """Render the system and user templates of prompt ``name`` into chat messages."""
    messages, refs = [], []
    for role in ROLES:
        t = load_template(name, role, settings)
        messages.append({"role": role, "content": t.render(**variables)})
        refs.append(t.ref)
    return messages, refs


def prefix_messages(name: str, schema: str | None, settings: Settings) -> list[dict[str, str]]:
    """Prompt ``name`` with :data:`SENTINEL` for every article-dependent value: what
    the saved-prefix cache cuts the fixed prefix from."""
    blank = {"article": SENTINEL, "published": SENTINEL, "sentences": SENTINEL}
    return render_messages(name, settings, schema=schema, **blank, **prompt_context())[0]
