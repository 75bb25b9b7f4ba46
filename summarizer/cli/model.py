"""``summarizer model pull``, ``warm`` and ``info``: the embedded model file and its saved prompt prefixes."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from ..errors import ConfigError, ModelFileError
from .common import cli_command, handle_errors
from .options import Debug, ModelPath, ModelSha256, Pipeline

model_app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, help="Fetch and inspect the embedded model file and saved prefixes."
)


@model_app.command("pull", help="Download, assemble and verify the embedded model into the user cache.")
@cli_command
def pull_command(
    force: Annotated[bool, typer.Option("--force", help="Fetch again even if a copy is cached.")] = False,
    debug: Debug = False,
) -> None:
    # The library loads when the command runs, not for --help (the rule: summarizer/cli/__init__.py).
    from ..backends.modelfile import DEFAULT_MODEL, pull
    from ..config import make_settings
    from .progress import ProgressDisplay

    with handle_errors(debug), ProgressDisplay("Checking the cache…") as progress:
        path = pull(make_settings(), DEFAULT_MODEL, progress.model_file, force=force)
    typer.echo(f"{DEFAULT_MODEL.name}: verified at {path}")


@model_app.command(
    "warm", help="Save the pipeline's fixed prompt prefix, so later runs start without reading it (embedded model)."
)
@cli_command
def warm_command(
    pipeline: Pipeline = None,
    model_path: ModelPath = None,
    model_sha256: ModelSha256 = None,
    debug: Debug = False,
) -> None:
    # The library loads when the command runs, not for --help (the rule: summarizer/cli/__init__.py).
    from ..api import Summarizer
    from ..config import make_settings
    from .progress import ProgressDisplay

    with handle_errors(debug), ProgressDisplay("Starting the embedded model…") as progress:
        settings = make_settings(pipeline=pipeline, model_path=model_path, model_sha256=model_sha256)
        if settings.backend != "embedded":
            raise ConfigError("model warm is for the embedded model; unset OPENAI_BASE_URL / SUMMARIZER_BASE_URL")
        with Summarizer(settings.model_copy(update={"prefix_cache": True}), progress=progress.model_file) as s:
            outcome = s.warm()
    typer.echo(f"{settings.pipeline}: prompt prefix {outcome}")


@model_app.command("info", help="Show where the embedded model is and whether it is verified.")
@cli_command
def info_command(
    model_path: ModelPath = None,
    model_sha256: ModelSha256 = None,
    verify_hash: Annotated[bool, typer.Option("--verify", help="Recompute the SHA-256 now.")] = False,
    debug: Debug = False,
) -> None:
    # The library loads when the command runs, not for --help (the rule: summarizer/cli/__init__.py).
    from ..backends.modelfile import DEFAULT_MODEL, cached_path, own_file, verify
    from ..backends.prefix import list_saved, prefix_dir, server_build
    from ..backends.server import server_available
    from ..config import make_settings

    with handle_errors(debug):
        settings = make_settings(model_path=model_path, model_sha256=model_sha256)
    own = settings.model_path
    path = own.expanduser() if own is not None else cached_path(settings)
    if verify_hash and path.is_file():
        path.with_name(path.name + ".sha256").unlink(missing_ok=True)
    server = ("llama.cpp server", server_build() if server_available() else "missing: pip install '.[local]'")
    if own is not None:  # the user's own file: accepted as given, checked only against --model-sha256
        rows = [("model", path.stem), ("file", str(path)), server]
        try:
            model = own_file(path, settings.model_sha256)
            rows.append(("sha256", model.sha256))
            status = "verified (--model-sha256)" if settings.model_sha256 else "your own file: accepted, not checked"
        except ModelFileError as exc:
            status = f"REFUSED: {exc.message}"
    else:
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
            server,
        ]
        status = "absent"
        if path.is_file():
            try:
                verify(path, spec)
                status = "verified"
            except ModelFileError as exc:
                status = f"REFUSED: {exc.message}"
    rows.append(("status", status))
    folder = prefix_dir(settings)
    saved = list_saved(folder)
    rows.append(("saved prefixes", f"{len(saved)} in {folder} ({sum(p.bytes for p in saved) / 1e6:.0f} MB)"))
    for p in saved:
        used = time.strftime("%Y-%m-%d %H:%M", time.localtime(p.used))
        size = f"{p.tokens} tokens, {p.bytes / 1e6:.0f} MB"
        rows.append((f"prefix {p.key[:12]}", f"{p.prompt}: {size}, {p.build}, last used {used}"))
    for k, v in rows:
        typer.echo(f"{k:>24}: {v}")
    if status == "absent" or status.startswith("REFUSED"):
        raise typer.Exit(1)
