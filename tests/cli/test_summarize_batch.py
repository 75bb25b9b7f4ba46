"""Many inputs in one run: a directory of 1,000 files, files that vanish, failing articles, signals.

Rule (summarizer/cli/summarize.py): every input is read first; an article that fails is reported and the others
go on; each result is written as soon as it is done; SIGTERM and Ctrl-C stop the run with what was finished
written and the embedded server stopped.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import summarize_app

from ..fake_openai import FakeEndpoint, completion, delay, error, reply
from ..support.servers import FakeEmbedded, processes_with

runner = CliRunner()
TEXT = "Pompeo will travel to Pyongyang next month, the State Department said."
TESTS = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def no_endpoint_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_BASE_URL", "SUMMARIZER_API_KEY"):
        monkeypatch.delenv(k, raising=False)


def cli(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(summarize_app, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_a_directory_of_1000_files_is_summarized_file_by_file(tmp_path: Path) -> None:
    d = tmp_path / "articles"
    d.mkdir()
    for i in range(1000):
        (d / f"{i:04d}.txt").write_text(TEXT if i % 100 else "", encoding="utf-8")  # every 100th is empty
    (d / ".DS_Store").write_bytes(b"\x00\x01")  # hidden files are not articles
    out = tmp_path / "out.jsonl"
    with FakeEndpoint() as fake:
        code, _, err = cli(str(d), "--base-url", fake.url, "--format", "jsonl", "-o", str(out))
        served = len(fake.requests)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert (code, served, len(lines)) == (1, 990, 990)
    assert err.splitlines() == [f"Error: {d / f'{i:04d}.txt'}: the article is empty" for i in range(0, 1000, 100)]
    assert [json.loads(line)["source"] for line in lines][:2] == [str(d / "0001.txt"), str(d / "0002.txt")]


def test_a_file_that_disappears_before_it_is_read_is_reported_and_the_rest_go_on(tmp_path: Path) -> None:
    files = [tmp_path / f"{n}.txt" for n in "abc"]
    for f in files:
        f.write_text(TEXT)
    files[1].unlink()
    with FakeEndpoint() as fake:
        code, out, err = cli(*map(str, files), "--base-url", fake.url, "--format", "jsonl")
    assert (code, err) == (1, f"Error: {files[1]}: no such file\n")
    assert [json.loads(x)["source"] for x in out.splitlines()] == [str(files[0]), str(files[2])]


def test_a_file_deleted_while_the_batch_runs_was_already_read(tmp_path: Path) -> None:
    files = [tmp_path / f"{n}.txt" for n in "abc"]
    for f in files:
        f.write_text(TEXT)

    def delete_then_answer(h: object) -> None:
        files[2].unlink()
        reply()(h)  # type: ignore[arg-type]

    with FakeEndpoint([delete_then_answer]) as fake:
        code, out, err = cli(*map(str, files), "--base-url", fake.url, "--format", "jsonl")
    assert (code, err, len(out.splitlines())) == (0, "", 3)


def test_failing_articles_are_named_and_the_others_unaffected(tmp_path: Path) -> None:
    files = [tmp_path / f"{n}.txt" for n in "abc"]
    for f in files:
        f.write_text(TEXT)
    bad_json = reply(completion('{"summary": '))
    steps = [error(500, {"Retry-After": "0"})] * 3 + [reply()] + [bad_json] * 2
    with FakeEndpoint(steps) as fake:
        code, out, err = cli(*map(str, files), "--base-url", fake.url, "--format", "json")
    assert code == 1
    assert err.splitlines() == [
        f"Error: {files[0]}: the model endpoint answered HTTP 500 (3 attempt(s)): fake error 500",
        f"Error: {files[2]}: the model gave no valid records after 2 attempt(s): Invalid JSON: EOF while parsing a "
        "value at line 1 column 12",
    ]
    (doc,) = json.loads(out)  # several inputs: a JSON array, here of the one that succeeded
    assert doc["source"] == str(files[1]) and doc["trips"][0]["traveler"] == "Mike Pompeo"


def test_an_unreachable_endpoint_stops_the_batch_after_three_articles(tmp_path: Path) -> None:
    files = [tmp_path / f"{i}.txt" for i in range(5)]
    for f in files:
        f.write_text(TEXT)
    with FakeEndpoint() as fake:
        url = fake.url
    code, out, err = cli(*map(str, files), "--base-url", url)
    lines = err.splitlines()
    assert code == 4 and out == "" and len(lines) == 4
    assert lines[0] == f"Error: {files[0]}: cannot reach the model endpoint at {url} (3 attempt(s))"
    assert lines[3] == (
        "Error: stopping: the endpoint was unreachable for 3 articles in a row; 2 article(s) not attempted, "
        f"from {files[3]}"
    )


def test_a_server_death_mid_batch_is_a_warning_and_every_article_is_summarized(
    tmp_path: Path, fake_embedded: FakeEmbedded
) -> None:
    files = [tmp_path / f"{n}.txt" for n in "ab"]
    for f in files:
        f.write_text(TEXT)
    fake_embedded.deaths = 1
    code, out, err = cli(*map(str, files), "--format", "jsonl")
    assert (code, len(out.splitlines())) == (0, 2)
    assert err == (
        f"Warning: {files[0]}: the embedded server stopped (exit code 9) during the call; restarting it and retrying\n"
    )


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_run_and_keeps_the_finished_results(tmp_path: Path, sig: signal.Signals) -> None:
    files = [tmp_path / f"{n}.txt" for n in "ab"]
    for f in files:
        f.write_text(TEXT)
    out = tmp_path / "out.jsonl"
    with FakeEndpoint([reply(), delay(60)]) as fake:
        command = [sys.executable, "-m", "summarizer", "summarize", *map(str, files), "--base-url", fake.url,
                   "--format", "jsonl", "-o", str(out)]  # fmt: skip
        proc = subprocess.Popen(
            command,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "OPENAI_API_KEY": "sk-test"},
        )
        deadline = time.monotonic() + 60
        while len(fake.requests) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
    assert (proc.returncode, err) == (130, "Error: interrupted\n")
    (line,) = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["source"] == str(files[0])


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_embedded_server_with_the_cli(tmp_path: Path, sig: signal.Signals) -> None:
    article = tmp_path / "a.txt"
    article.write_text(TEXT)
    marker = str(tmp_path / "server-marker")
    launcher = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from summarizer.backends import modelfile, server
        from summarizer.cli import summarize_main
        server.server_available = lambda: True
        modelfile.resolve = lambda *a, **k: modelfile.ModelFile(Path("model.gguf"), "0" * 64, verified=True)
        server.EmbeddedServer.command = lambda self: [sys.executable, {str(TESTS / "fake_openai.py")!r},
            "--port", str(self.port), "--model_alias", self.alias, "--slow", "60", "--marker", {marker!r}]
        sys.argv = ["summarize", {str(article)!r}]
        summarize_main()
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    env["SUMMARIZER_DB"] = os.environ["SUMMARIZER_DB"]  # the test's own run store (tests/conftest.py), not the user's
    proc = subprocess.Popen([sys.executable, "-c", launcher], stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 30
    while not processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_with(marker)
    time.sleep(1.5)  # the server is up and the request is in flight
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert (proc.returncode, err) == (130, "Error: interrupted\n")
    assert processes_with(marker) == {}
