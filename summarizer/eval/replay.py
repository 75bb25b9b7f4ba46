"""Recorded model responses (vcrpy cassettes), one per article: ``<cassette_dir>/<article id>.yaml``.

Requests match on method, path and the JSON body *parsed* (so host, port and key order do not matter, and a
changed prompt, schema, model or setting is a miss). Authorization, api-key and cookie headers, in requests and
responses, are never written.
Replay uses record mode ``none`` (a miss is an error, never a network call); ``--live`` rewrites the cassette.
A replayed prediction reports the seconds its live call took (``<id>.timing.json``), not the replay's own time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FILTERED_HEADERS = ["authorization", "api-key", "x-api-key", "cookie", "set-cookie", "openai-organization"]
REPLAY_BASE_URL = "http://127.0.0.1:9/v1"  # never contacted: every request is answered from a cassette


def _parsed_body(request: Any) -> Any:
    body = request.body or b""
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    try:
        return json.loads(body) if body else None
    except ValueError:
        return body


def json_body_matcher(r1: Any, r2: Any) -> None:
    """vcrpy matcher: request bodies equal as parsed JSON."""
    if _parsed_body(r1) != _parsed_body(r2):
        raise AssertionError("request bodies differ")


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """vcrpy ``before_record_response``: drop response headers that can carry credentials or session ids."""
    headers = response.get("headers") or {}
    for name in [h for h in headers if h.lower() in FILTERED_HEADERS]:
        del headers[name]
    return response


def make_vcr(record_mode: str) -> Any:
    import vcr

    v = vcr.VCR(
        record_mode=record_mode,
        match_on=["method", "path", "json_body"],
        filter_headers=FILTERED_HEADERS,
        before_record_response=scrub_response,
        decode_compressed_response=True,
    )
    v.register_matcher("json_body", json_body_matcher)
    return v


def cassette_path(cassette_dir: Path, case_id: str) -> Path:
    return cassette_dir / f"{case_id}.yaml"


def timing_path(cassette_dir: Path, case_id: str) -> Path:
    """Beside each cassette, the program writes how long the live call took (a cassette has no clock)."""
    return cassette_dir / f"{case_id}.timing.json"


def write_timing(cassette_dir: Path, case_id: str, seconds: float, model: str) -> None:
    data = {"seconds": round(seconds, 2), "model": model}
    timing_path(cassette_dir, case_id).write_text(json.dumps(data) + "\n", encoding="utf-8")


def read_timing(cassette_dir: Path, case_id: str) -> float | None:
    """Seconds the recorded live call took, or None when no timing was written."""
    try:
        return float(json.loads(timing_path(cassette_dir, case_id).read_text(encoding="utf-8"))["seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
