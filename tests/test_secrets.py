"""No credential is ever written: not in a committed cassette or run log, not by the recorder, not in errors."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import summarize_app
from summarizer.eval.replay import make_vcr

from .fake_openai import FakeEndpoint, reply
from .support.paths import ARTICLES, ROOT

KEY = "sk-test-secret-abcdef0123456789"
PLACEHOLDER = "sk-no-key-required"  # the dummy key sent to local servers; filtered from cassettes all the same
CREDENTIALS = re.compile(
    r"(?i)(^|\n)\s*-?\s*['\"]?(authorization|api-key|x-api-key|cookie|set-cookie|openai-organization)['\"]?\s*:"
    r"|bearer\s+[a-z0-9._\-]{8,}|\bsk-[a-z0-9_\-]{8,}"
)


def committed(*dirs: str) -> list[Path]:
    out = subprocess.run(["git", "ls-files", *dirs], cwd=ROOT, capture_output=True, text=True, check=False).stdout
    files = [ROOT / f for f in out.splitlines()]
    return files or [p for d in dirs for p in (ROOT / d).rglob("*") if p.is_file()]


def secrets_in(text: str) -> list[str]:
    return [m.group(0).strip() for m in CREDENTIALS.finditer(text.replace(PLACEHOLDER, "")) if m.group(0).strip()]


def test_the_scanner_finds_each_kind_of_credential() -> None:
    for leak in (
        "authorization:\n- Bearer abc",
        "  api-key: x",
        f"token {KEY}",
        "Set-Cookie: a=b",
        "Bearer abcdefgh12",
    ):
        assert secrets_in(leak), leak
    assert secrets_in(f"'{PLACEHOLDER}' and headers: {{}}") == []


def test_no_cassette_or_run_log_holds_a_credential() -> None:
    files = committed("cassettes", "evals/runs")
    assert len(files) > 100
    found = {str(f.relative_to(ROOT)): secrets_in(f.read_text(encoding="utf-8")) for f in files}
    assert {f: s for f, s in found.items() if s} == {}


def test_recording_filters_credentials_from_requests_and_responses(tmp_path: Path) -> None:
    import openai

    headers = {"Set-Cookie": "session=abc123secretcookie", "OpenAI-Organization": "org-secret"}
    with FakeEndpoint(default=reply(headers=headers)) as fake, make_vcr("all").use_cassette(str(tmp_path / "c.yaml")):
        client = openai.OpenAI(api_key=KEY, base_url=fake.url, max_retries=0)
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    text = (tmp_path / "c.yaml").read_text()
    assert "chat.completion" in text and secrets_in(text) == [] and "abc123secretcookie" not in text


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_a_key_the_endpoint_echoes_back_is_masked_even_with_debug(monkeypatch: pytest.MonkeyPatch, debug: bool) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    echo = reply({"error": {"message": f"Incorrect API key provided: {KEY}"}}, 401)
    with FakeEndpoint(default=echo) as fake:
        args = [str(ARTICLES / "seed-000.txt"), "--base-url", fake.url] + (["--debug"] if debug else [])
        r = CliRunner().invoke(summarize_app, args)
    assert KEY not in r.stdout + r.stderr + repr(r.exception) + str(r.exception)
    if not debug:
        assert r.stderr.endswith("HTTP 401 (1 attempt(s)): Incorrect API key provided: ***\n")


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_the_real_cli_prints_one_line_per_error_and_never_an_echoed_key(debug: bool) -> None:
    """As a user runs it (a process of its own, no test logging): instructor logs every failed attempt at ERROR
    with the endpoint's message; those lines must neither reach stderr nor, with --debug, show the key."""
    import os
    import sys

    echo = reply({"error": {"message": f"Incorrect API key provided: {KEY}"}}, 401)
    with FakeEndpoint(default=echo) as fake:
        command = [
            sys.executable,
            "-m",
            "summarizer",
            "summarize",
            str(ARTICLES / "seed-000.txt"),
            "--base-url",
            fake.url,
        ]
        r = subprocess.run(
            command + (["--debug"] if debug else []),
            capture_output=True,
            text=True,
            env={**os.environ, "OPENAI_API_KEY": KEY},
            check=False,
        )
    assert r.returncode != 0 and KEY not in r.stdout + r.stderr
    if debug:
        assert "instructor" in r.stderr and "Incorrect API key provided: ***" in r.stderr  # logs shown, masked
    else:
        assert r.stderr == (
            f"Error: {ARTICLES / 'seed-000.txt'}: the model endpoint answered HTTP 401 (1 attempt(s)): "
            "Incorrect API key provided: ***\n"
        )
