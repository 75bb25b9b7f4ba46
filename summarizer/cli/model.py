"""``summarizer model pull`` and ``summarizer model info``: the embedded model file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import ProgressDisplay, handle_errors

model_app = typer.Typer(no_args_is_help=True, help="Fetch and inspect the embedded model file.")


@model_app.command("pull", help="Download, assemble and verify the embedded model into the user cache.")
def pull_command(
    force: Annotated[bool, typer.Option("--force", help="Fetch again even if a copy is cached.")] = False,
    debug: Annotated[bool, typer.Option("--debug")] = False,
) -> None:
    from ..backends.modelfile import DEFAULT_MODEL, pull

    with handle_errors(debug), ProgressDisplay("Checking the cache…") as progress:
        path = pull(DEFAULT_MODEL, progress.model_file, force=force)
    typer.echo(f"{DEFAULT_MODEL.name}: verified at {path}")


@model_app.command("info", help="Show where the embedded model is and whether it is verified.")
def info_command(
    model_path: Annotated[Path | None, typer.Option(help="Check this GGUF file instead of the cache.")] = None,
    verify_hash: Annotated[bool, typer.Option("--verify", help="Recompute the SHA-256 now.")] = False,
) -> None:
    from ..backends.modelfile import DEFAULT_MODEL, cached_path, verify
    from ..backends.server import server_available
    from ..errors import ModelFileError

    path = model_path or cached_path()
    spec = DEFAULT_MODEL
    rows = [
        ("model", spec.name),
        ("file", str(path)),
        ("expected size", f"{spec.size:,} bytes"),
        ("expected sha256", spec.sha256),
        (
            "sources",
            f"cache → hf:{spec.hf_repo} → PyPI {spec.pypi_parts[0]}…"
            f"{spec.pypi_parts[-1].rsplit('part', 1)[1]} =={spec.pypi_version}",
        ),
        ("llama-cpp-python server", "installed" if server_available() else "missing: pip install '.[local]'"),
    ]
    status = "absent"
    if path.is_file():
        if verify_hash:
            path.with_name(path.name + ".sha256").unlink(missing_ok=True)
        try:
            verify(path, spec)
            status = "verified"
        except ModelFileError as exc:
            status = f"REFUSED: {exc.message}"
    rows.append(("status", status))
    for k, v in rows:
        typer.echo(f"{k:>24}: {v}")
    if status != "verified":
        raise typer.Exit(1)
