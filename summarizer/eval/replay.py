"""Recorded model responses (vcrpy cassettes), one per article: ``<cassette_dir>/<article id>.yaml``.

Requests match on method, path and the JSON body *parsed* (so host, port and key order do not matter, and a
changed prompt, schema, model or setting is a miss). Authorization, api-key and cookie headers, in requests and
responses, are never written.
Replay uses record mode ``none`` (a miss is an error, never a network call); ``--live`` rewrites the cassette.
A replayed prediction reports the seconds its live call took (``<id>.timing.json``), not the replay's own time;
a replay that asks only part of a recording of llama.cpp's server reports the server's own time for the answers it
played, the article read once (:func:`played_subset`, :func:`article_seconds`).

``--live --reuse DIR`` starts each article's cassette as a copy of ``DIR/<id>.yaml`` (another pipeline's recording
of the same server) and records in vcrpy's ``new_episodes`` mode: a request identical to one recorded there is
answered from it, every other request goes to the server and is added. No response is written or changed. The
saved cassette keeps only the answers this run used, reused or new, and the article's seconds are the server's own
time for them, the article read once (:func:`article_seconds`); the timing file also gives the number of reused
answers and the live call's wall seconds. A live recording is written to a temporary file that replaces the
article's cassette only when the article is done.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .gold import GoldCase

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


def make_vcr(record_mode: str, *, drop_unused: bool = False) -> Any:
    """vcrpy with the project's matching and scrubbing; ``drop_unused`` saves only the interactions played back or
    recorded (a ``--reuse`` cassette keeps what its own pipeline asked, not the other pipeline's answers)."""
    import vcr

    v = vcr.VCR(
        record_mode=record_mode,
        drop_unused_requests=drop_unused,
        match_on=["method", "path", "json_body"],
        filter_headers=FILTERED_HEADERS,
        before_record_response=scrub_response,
        decode_compressed_response=True,
    )
    v.register_matcher("json_body", json_body_matcher)
    return v


# A later answer is taken to have read the article anew when its cached prefix falls this many tokens short of the
# longest one in the article (the system prompt and the article); shorter differences are shared question words.
REREAD_TOKENS = 100


def load_interactions(cassette: Path) -> list[dict[str, Any]]:
    """A cassette file's recorded interactions (request and response), in order."""
    import yaml

    return list(yaml.safe_load(cassette.read_text(encoding="utf-8"))["interactions"])


def article_seconds(interactions: list[dict[str, Any]]) -> float:
    """The server's own seconds (llama.cpp's ``timings.prompt_ms + predicted_ms``) for one article's recorded
    answers, with the article read once: an answer after the first whose prompt was read anew (as the first live
    call of a ``--reuse`` run is, the server never having seen the reused first question) counts only the
    reading of its tokens past the article."""
    answers = []
    for interaction in interactions:
        body = _response_body(interaction["response"])
        if body is None:
            continue
        timings, usage = body.get("timings") or {}, body.get("usage") or {}
        answers.append((timings, int(usage.get("prompt_tokens") or 0)))
    full = max((int(t.get("cache_n") or 0) for t, _ in answers), default=0)
    seconds = 0.0
    for k, (t, prompt_tokens) in enumerate(answers):
        read, new = float(t.get("prompt_ms") or 0), int(t.get("prompt_n") or 0)
        if k and new and int(t.get("cache_n") or 0) < full - REREAD_TOKENS:
            read *= min(1.0, max(0, prompt_tokens - full) / new)
        seconds += (read + float(t.get("predicted_ms") or 0)) / 1000
    return seconds


def played_subset(cassette: Any) -> list[dict[str, Any]] | None:
    """The answers a replayed vcrpy cassette played, in the order they were played, each as ``{"response": ...}``
    (what :func:`article_seconds` reads), when it played only part of a recording of llama.cpp's server (every
    answer in it carries the server's ``timings``): a plan that asks less than the one recorded, such as an
    article below the topic threshold or ``bench/ablate.py``. ``None`` when it played every answer, or when some
    answer has no timings (a remote endpoint's, or an old recording kept beside the current one): the timing
    file's seconds then stand."""
    if len(cassette.play_counts) == len(cassette.data) or not all(
        (_response_body(r) or {}).get("timings") for _, r in cassette.data
    ):
        return None
    return [{"response": cassette.data[i][1]} for i in cassette.play_counts]  # keys in first-play order


def _response_body(response: dict[str, Any]) -> dict[str, Any] | None:
    """One recorded response's JSON body, if it is a JSON object."""
    try:
        body = json.loads(response["body"]["string"])
    except (KeyError, TypeError, ValueError):
        return None
    return body if isinstance(body, dict) else None


def reused_count(cassette: Any) -> int:
    """How many recorded answers a vcrpy cassette played back."""
    return sum(1 for count in cassette.play_counts.values() if count)


def cassette_path(cassette_dir: Path, case_id: str) -> Path:
    return cassette_dir / f"{case_id}.yaml"


def recorded_cases(cases: list[GoldCase], cassette_dir: Path) -> list[GoldCase]:
    """The cases ``cassette_dir`` holds a recording for (a pipeline recorded on part of the gold set)."""
    return [c for c in cases if cassette_path(cassette_dir, c.id).is_file()]


def timing_path(cassette_dir: Path, case_id: str) -> Path:
    """Beside each cassette, the program writes how long the live call took (a cassette has no clock)."""
    return cassette_dir / f"{case_id}.timing.json"


def write_timing(
    cassette_dir: Path, case_id: str, seconds: float, model: str, reused: int = 0, live: float | None = None
) -> None:
    data: dict[str, Any] = {"seconds": round(seconds, 2), "model": model}
    if reused:
        data |= {"reused_answers": reused, "live_seconds": round(live or 0.0, 2)}
    timing_path(cassette_dir, case_id).write_text(json.dumps(data) + "\n", encoding="utf-8")


def read_timing(cassette_dir: Path, case_id: str) -> float | None:
    """Seconds the recorded live call took, or None when no timing was written."""
    try:
        return float(json.loads(timing_path(cassette_dir, case_id).read_text(encoding="utf-8"))["seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
