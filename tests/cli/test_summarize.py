"""The CLI's user-facing messages, pinned."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app, summarize_app
from summarizer.eval.replay import REPLAY_BASE_URL

from ..support.paths import ARTICLES

runner = CliRunner()


def run(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    r = runner.invoke(summarize_app, list(args), input=input)
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture(autouse=True)
def no_endpoint_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_BASE_URL", "SUMMARIZER_API_KEY"):
        monkeypatch.delenv(k, raising=False)


def test_missing_file(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "nope.txt"))
    assert (code, err) == (2, f"Error: {tmp_path / 'nope.txt'}: no such file\n")


def test_empty_directory(tmp_path: Path) -> None:
    (tmp_path / ".hidden").write_text("not an article")
    code, _, err = run(str(tmp_path))
    assert (code, err) == (2, f"Error: {tmp_path}: the directory holds no article files\n")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the article is empty"),
        (b"  \n\t \n", "the article is empty"),
        (b"GGUF\x00\x01\x02binary", "looks like binary data, not a text article"),
        (b"caf\xe9 au lait", "not valid UTF-8 (byte 3); convert it to UTF-8 first"),
        (b"id: x\npublished: 2018-01-01\n\n   \n", "the article has a header but no text"),
        (b"id: x\npublished: yesterday\n\nText.", "invalid date 'yesterday': expected YYYY-MM-DD"),
    ],
)
def test_bad_article_content(tmp_path: Path, data: bytes, message: str) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(data)
    code, out, err = run(str(f))
    assert code == 2 and out == ""
    assert err.startswith("Error: ") and err.endswith(f"{message}\n") and err.count("\n") == 1


CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, PR_CAPBSET_DROP = 1, 2, 24  # linux/capability.h, linux/prctl.h


def test_unreadable_file(tmp_path: Path) -> None:
    """The real CLI in a process of its own, refused a file with mode 000. Root reads any file through two
    capabilities, so as root the child drops them from its bounding set before it runs the CLI: a root process
    takes its capabilities from that set at exec (its inheritable set is empty), and it still reads the
    interpreter and the package, which root owns. Switching to an unprivileged user instead would not do: the
    interpreter may live where only root can reach it (here, under ``/root``)."""
    f = tmp_path / "a.txt"
    f.write_text("Pompeo will travel to Pyongyang next month.")
    f.chmod(0)
    prctl = ctypes.CDLL(None, use_errno=True).prctl

    def without_root_file_access() -> None:
        for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            if prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), f"prctl(PR_CAPBSET_DROP, {cap})")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    r = subprocess.run(  # a dead endpoint: a file read after all fails fast instead of starting the embedded model
        [sys.executable, "-m", "summarizer", "summarize", str(f), "--base-url", REPLAY_BASE_URL],
        capture_output=True,
        text=True,
        env={**env, "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache"), "SUMMARIZER_DB": os.environ["SUMMARIZER_DB"]},
        preexec_fn=without_root_file_access if os.geteuid() == 0 else None,
        check=False,
        timeout=120,
    )
    assert (r.returncode, r.stdout, r.stderr) == (2, "", f"Error: {f}: permission denied\n")


def test_stdin_empty() -> None:
    assert run("-", input=b"")[2] == "Error: <stdin>: the article is empty\n"


def test_bad_published_flag() -> None:
    code, _, err = run(str(ARTICLES / "seed-000.txt"), "--published", "2018-13-01")
    assert (code, err) == (2, "Error: --published: invalid date '2018-13-01': expected YYYY-MM-DD\n")


def test_bad_format() -> None:
    code, out, err = run(str(ARTICLES / "seed-000.txt"), "--format", "xml")
    assert (code, out) == (2, "")
    assert err.endswith(
        "\n\nError: Invalid value for '--format' / '-f': unknown format 'xml'; "
        "choose from markdown, json, jsonl, plover, html\n"
    ), err
    assert err.startswith("Usage: ")


def test_bad_pipeline_names_the_choices() -> None:
    code, out, err = run(str(ARTICLES / "seed-000.txt"), "--pipeline", "fast")
    assert (code, out, err) == (
        2, "", "Error: unknown pipeline 'fast'; choose from cited, single, lean, detect, detect-window, percat, "
        "scan, sift, sift-each, sift-all, sift-wide, sift-narrow\n"
    )  # fmt: skip


def test_an_unknown_mode_from_the_environment_is_refused_before_any_model_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUMMARIZER_MODE", "FAST")
    code, out, err = run(str(ARTICLES / "seed-000.txt"))
    assert (code, out, err) == (
        2, "", "Error: unknown mode 'FAST'; choose from TOOLS, JSON_SCHEMA, GRAMMAR (or an instructor mode name)\n"
    )  # fmt: skip


def test_bad_base_url() -> None:
    code, _, err = run(str(ARTICLES / "seed-000.txt"), "--base-url", "localhost:8080")
    assert (code, err) == (2, "Error: base URL must start with http:// or https://, got 'localhost:8080'\n")


def test_unreachable_endpoint_is_one_line_without_traceback() -> None:
    article = ARTICLES / "seed-000.txt"
    code, _, err = run(str(article), "--base-url", REPLAY_BASE_URL)
    message = f"Error: {article}: cannot reach the model endpoint at {REPLAY_BASE_URL} (3 attempt(s))\n"
    assert (code, err) == (4, message)


def test_remote_without_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run(str(ARTICLES / "seed-000.txt"), "--base-url", "https://api.example.test/v1")
    assert (code, err) == (2, "Error: no API key: set OPENAI_API_KEY (or SUMMARIZER_API_KEY) for the remote endpoint\n")


def test_output_must_not_overwrite_an_input(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Some article.")
    code, _, err = run(str(f), "-o", str(f))
    assert (code, err) == (2, f"Error: {f}: --output would overwrite an input article\n")
    assert f.read_text() == "Some article."


def test_the_key_never_appears_in_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-abcdef0123456789")
    r = runner.invoke(summarize_app, [str(ARTICLES / "seed-000.txt"), "--base-url", REPLAY_BASE_URL, "--debug"])
    assert "sk-test-secret" not in (r.stdout + r.stderr + repr(r.exception))


def test_every_command_has_help() -> None:
    for args in (
        ["--help"],
        ["summarize", "--help"],
        ["model", "--help"],
        ["model", "pull", "--help"],
        ["model", "info", "--help"],
        ["model", "warm", "--help"],
        ["eval", "--help"],
    ):
        r = runner.invoke(app, args)
        assert r.exit_code == 0 and "Usage" in r.stdout, args
    r = runner.invoke(summarize_app, ["--help"])  # the ``summarize`` entry point
    assert r.exit_code == 0 and "Usage" in r.stdout


def test_python_dash_m_and_help_do_not_import_the_model_stack() -> None:
    import subprocess
    import sys

    code = (
        "import sys, runpy; sys.argv = ['summarizer', '--help']\n"
        "try:\n    runpy.run_module('summarizer', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('openai', 'instructor', 'scipy', 'vcr', 'xllamacpp', 'httpx') if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "Usage" in out and "HEAVY []" in out


def test_embedded_default_without_the_local_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer.backends import modelfile, server

    monkeypatch.setattr(server, "server_available", lambda: False)
    monkeypatch.setattr(modelfile, "resolve", lambda *a, **k: pytest.fail("must not fetch the model first"))
    code, _, err = run(str(ARTICLES / "seed-000.txt"))
    assert code == 2
    assert err == (
        "Error: the embedded model needs llama.cpp's server from xllamacpp: pip install 'summarizer[local]' "
        "(or set OPENAI_BASE_URL / --base-url to use an endpoint)\n"
    )


def test_an_article_too_long_for_any_run_is_refused_before_the_model_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from summarizer.backends import server

    monkeypatch.setattr(server, "require_server", lambda: pytest.fail("must not start the embedded server"))
    f = tmp_path / "big.txt"
    f.write_text("Pompeo will travel to Pyongyang next month, officials said. " * 17000)
    code, out, err = run(str(f))
    assert (code, out) == (2, "")
    assert err == (
        f"Error: {f}: article is about 291428 tokens and would take 81 model calls, more than the --max-chunks "
        "limit of 8; raise --max-chunks or split the article\n"
    )
