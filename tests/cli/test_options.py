"""The options commands share (:mod:`summarizer.cli.options`): one declaration, so every command shows them alike;
and ``--help`` reads no more of the package than the command line itself."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from summarizer.cli import app, summarize_app

runner = CliRunner()
SHARED = ("model", "base_url", "model_path", "model_sha256", "pipeline", "debug")


def test_each_shared_option_has_one_flag_and_one_help_text_everywhere() -> None:
    root = get_command(app)
    model = root.commands["model"]  # type: ignore[attr-defined]
    commands = {"summarize": root.commands["summarize"], "eval": root.commands["eval"]}  # type: ignore[attr-defined]
    commands |= {f"model {name}": command for name, command in model.commands.items()}
    seen: dict[str, set[tuple[tuple[str, ...], str | None]]] = {}
    taken: dict[str, list[str]] = {}
    for name, command in commands.items():
        for param in command.params:
            if param.name in SHARED:
                seen.setdefault(param.name, set()).add((tuple(param.opts), getattr(param, "help", None)))
                taken.setdefault(param.name, []).append(name)
    assert {name: len(forms) for name, forms in seen.items()} == dict.fromkeys(SHARED, 1)
    assert taken["debug"] == ["summarize", "eval", "model pull", "model warm", "model info"]
    assert taken["pipeline"] == ["summarize", "eval", "model warm"]
    assert seen["pipeline"] == {
        (("--pipeline",), "Pipeline: cited, single, lean, detect, detect-window, percat, scan, sift, sift-each, "
         "sift-all, sift-wide, sift-narrow (see docs/pipelines.md; default: sift-narrow).")
    }  # fmt: skip


@pytest.mark.parametrize(
    "args", [["summarize"], ["eval"], ["model"], ["model", "pull"], ["model", "warm"], ["model", "info"]]
)
def test_every_command_has_help(args: list[str]) -> None:
    r = runner.invoke(app, [*args, "--help"])
    assert r.exit_code == 0 and "Usage:" in r.stdout and "--help" in r.stdout, r.output


def test_summarize_help_names_the_formats() -> None:
    r = runner.invoke(summarize_app, ["--help"])
    assert r.exit_code == 0 and "-f, --format <markdown|json|jsonl|plover|html>" in r.stdout, r.stdout


def test_help_imports_no_more_of_the_package_than_the_command_line() -> None:
    """What bench/startup.py measures: ``summarize --help`` leaves the library, pydantic, openai and typer's rich
    help layout unloaded."""
    script = (
        "import sys\nsys.argv = ['summarize', '--help']\nfrom summarizer.cli import summarize_main\n"
        "try:\n    summarize_main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('summarizer', 'pydantic', 'openai')\n"
        "                      or m == 'typer.rich_utils')))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = done.stdout.splitlines()[-1].split()
    assert loaded == [
        "summarizer", "summarizer.choices", "summarizer.cli", "summarizer.cli.common", "summarizer.cli.eval",
        "summarizer.cli.model", "summarizer.cli.options", "summarizer.cli.summarize", "summarizer.cli.timeline",
        "summarizer.errors",
    ]  # fmt: skip
