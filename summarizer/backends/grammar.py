"""JSON-schema output on llama.cpp's server as an llguidance grammar with no free whitespace.

llama.cpp's server applies ``response_format: json_schema`` but ignores llguidance's options there, so the model
may pretty-print (every newline and indent an output token at ≈ 55-77 ms) and may add keys the schema does not
name. The same schema sent in the request's ``grammar`` field as ``%llguidance`` with ``x-guidance`` options is
applied as written: compact separators, no free whitespace, and (with ``additionalProperties: false`` on every
object) no extra keys. :class:`GrammarHttpClient` rewrites each chat request that asks for ``json_schema`` this
way, before it leaves the process (and before a cassette records it); nothing else is touched.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from openai import DefaultHttpxClient

# Fixed separators as json.dumps writes them (and the prompts' examples show); no other whitespace.
COMPACT = {"whitespace_flexible": False, "item_separator": ", ", "key_separator": ": "}


def _close_objects(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _close_objects(value)
    elif isinstance(node, list):
        for value in node:
            _close_objects(value)


def compact_grammar(schema: dict[str, Any]) -> str:
    """The llguidance grammar for ``schema``: compact JSON, closed objects."""
    closed = copy.deepcopy(schema)
    _close_objects(closed)
    closed["x-guidance"] = COMPACT
    return "%llguidance {}\nstart: %json " + json.dumps(closed, ensure_ascii=False)


def rewrite(request: Any) -> Any:
    """``request`` with its ``response_format`` json_schema moved into an llguidance ``grammar``; others as is."""
    if request.method != "POST" or not request.url.path.endswith("/chat/completions"):
        return request
    try:
        body = json.loads(request.content)
        fmt = body.get("response_format") or {}
        schema = fmt["json_schema"]["schema"] if fmt.get("type") == "json_schema" else None
    except (ValueError, KeyError, TypeError, AttributeError):
        return request
    if not isinstance(schema, dict):
        return request
    del body["response_format"]
    body["grammar"] = compact_grammar(schema)
    headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
    return type(request)(  # the openai client's own httpx flavour (openai 3 ships httpx2)
        request.method, request.url, headers=headers, content=json.dumps(body).encode(), extensions=request.extensions
    )


class GrammarHttpClient(DefaultHttpxClient):
    """The openai client's default HTTP client, sending JSON-schema requests as compact llguidance grammars."""

    def send(self, request: Any, **kwargs: Any) -> Any:
        return super().send(rewrite(request), **kwargs)
