"""The embedded server's child process: llama.cpp's native server (``llama-server``) through xllamacpp.

Run as ``python -m summarizer.backends.native --model FILE --port N ...`` by
:class:`~summarizer.backends.server.EmbeddedServer`, never imported by the tool itself. xllamacpp ships llama.cpp's
C++ server as a prebuilt wheel, so nothing is compiled on the user's machine. Rules:

- It binds 127.0.0.1 only, on the port it is given; it serves one slot (``n_parallel`` 1) so the prompt cache and
  slot save/restore always concern slot 0, and ``slot_save_path`` (the saved-prefix folder) is where slot files go.
- Prompt caching is on within the slot (longest common prefix of consecutive requests); llama.cpp's host-memory
  prompt cache is off (memory stays bounded by the context); no context shift (an over-long prompt is an error,
  not a silent truncation).
- It runs until SIGTERM or SIGINT, then exits 0; if the model cannot be loaded or the port cannot be bound it exits 3
  at once (llama.cpp's log above says which), and the parent tries another port if the port was taken.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m summarizer.backends.native")
    p.add_argument("--model", required=True)
    p.add_argument("--model_alias", required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--n_ctx", type=int, default=8192)
    p.add_argument("--n_threads", type=int, default=1)
    p.add_argument("--slot_save_path", default="")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    import xllamacpp as xlc

    params = xlc.CommonParams()
    params.model.path = args.model
    params.model_alias = {args.model_alias}
    params.hostnames = [args.host]
    params.port = args.port
    params.n_ctx = args.n_ctx
    params.n_parallel = 1
    params.cpuparams.n_threads = args.n_threads
    params.cpuparams_batch.n_threads = args.n_threads
    params.cache_prompt = True
    params.cache_ram_mib = 0  # no host-memory prompt cache (up to 8 GiB by default): the slot's own cache suffices
    params.ctx_shift = False
    params.warmup = False
    params.endpoint_slots = True
    if args.slot_save_path:
        params.slot_save_path = os.path.join(args.slot_save_path, "")  # llama.cpp joins it to a file name as is
    try:
        server = xlc.Server(params)
    except Exception as exc:  # a plain RuntimeError for a model it cannot load or a port it cannot bind
        print(f"llama.cpp's server did not start with {args.model} on port {args.port}: {exc}", file=sys.stderr)
        return 3
    print(f"listening on {server.listening_address}", flush=True)
    while not stop.wait(0.5):
        pass
    del server
    return 0


if __name__ == "__main__":  # pragma: no cover - the child's entry point
    sys.exit(main())
