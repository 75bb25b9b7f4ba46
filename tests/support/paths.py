"""Where the tests find the repository's data, and the seed articles' publication dates."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
ARTICLES = ROOT / "evals" / "articles"
FAKE_SERVER = ROOT / "tests" / "fake_openai.py"  # a stand-in for llama.cpp's server (see its docstring)
# Publication dates come from the gold files, the one place they are recorded.
SEEDS: dict[str, str] = {
    k: json.loads((ROOT / "evals" / "gold" / f"{k}.json").read_text(encoding="utf-8"))["published"]
    for k in ("seed-000", "seed-001", "seed-002")
}
