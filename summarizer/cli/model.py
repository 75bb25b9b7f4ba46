"""``summarizer model pull``, ``warm`` and ``info``: the embedded model file and its saved prompt prefixes."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from .common import ProgressDisplay, handle_errors

model_app = typer.Typer(no_args_is_help=True, help="Fetch and inspect the embedded model file and saved prefixes.")


@model_app.command("pull", help="Download, assemble and verify the embedded model into the user cache.")
def pull_command(
    force: Annotated[bool, typer.Option("--force", help="Fetch again even if a copy is cached.")] = False,
    debug: Annotated[bool, typer.Option("--debug")] = False,
) -> None:
    from ..backends.modelfile import DEFAULT_MODEL, pull

    with handle_errors(debug), ProgressDisplay("Checking the cache…") as progress:
        path = pull(DEFAULT_MODEL, progress.model_file, force=force)
    typer.echo(f"{DEFAULT_MODEL.name}: verified at {path}")


@model_app.command(
    "warm", help="Save the pipeline's fixed prompt prefix, so later runs start without reading it (embedded model)."
)
def warm_command(
    pipeline: Annotated[str, typer.Option(help="The pipeline whose prompt to keep.")] = "cited",
    model_path: Annotated[Path | None, typer.Option(help="GGUF file for the embedded model.")] = None,
    debug: Annotated[bool, typer.Option("--debug")] = False,
) -> None:
    from ..api import Summarizer
    from ..errors import ConfigError
    from .common import make_settings

    with handle_errors(debug), ProgressDisplay("Starting the embedded model…") as progress:
        settings = make_settings(pipeline=pipeline, model_path=model_path, base_url=None)
        if settings.backend != "embedded":
            raise ConfigError("model warm is for the embedded model; unset OPENAI_BASE_URL / SUMMARIZER_BASE_URL")
        with Summarizer(settings.model_copy(update={"prefix_cache": True}), progress=progress.model_file) as s:
            outcome = s.warm()
    typer.echo(f"{settings.pipeline}: prompt prefix {outcome}")


@model_app.command("info", help="Show where the embedded model is and whether it is verified.")
def info_command(
    model_path: Annotated[Path | None, typer.Option(help="Check this GGUF file instead of the cache.")] = None,
    verify_hash: Annotated[bool, typer.Option("--verify", help="Recompute the SHA-256 now.")] = False,
) -> None:
    from ..backends.modelfile import DEFAULT_MODEL, cached_path, verify
    from ..backends.prefix import list_saved, prefix_dir, server_build
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
        ("llama.cpp server", server_build() if server_available() else "missing: pip install '.[local]'"),
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
    saved = list_saved()
    rows.append(("saved prefixes", f"{len(saved)} in {prefix_dir()} ({sum(p.bytes for p in saved) / 1e6:.0f} MB)"))
    for p in saved:
        used = time.strftime("%Y-%m-%d %H:%M", time.localtime(p.used))
        size = f"{p.tokens} tokens, {p.bytes / 1e6:.0f} MB"
        rows.append((f"prefix {p.key[:12]}", f"{p.prompt}: {size}, {p.build}, last used {used}"))
    for k, v in rows:
        typer.echo(f"{k:>24}: {v}")
    if status != "verified":
        raise typer.Exit(1)
