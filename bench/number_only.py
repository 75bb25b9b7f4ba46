"""Detection without the sentence's text: does "Sentence [n]" discriminate as well as "Sentence [n]: <text>"?

    python bench/number_only.py evals/runs/RUN-detect.json seed-000 dev-05-moon-kim-second-meeting ...

For each article, every detection question recorded in ``cassettes/eval/detect/<id>.yaml`` is asked again of the
embedded model (one llama.cpp server, warm across articles) with the sentence's text left out of the question and
of the system prompt's description and worked example; the answer's letter probabilities are compared with the
recorded with-text ones (``meta.sentence_scores`` of the run log). For each category and threshold it prints, for
both forms and both scores (the five-way share and the score against N, :func:`summarizer.plans.flag_score`),
the required gold records with an evidence sentence flagged and the share of sentences flagged, then the seconds
per number-only question. A question without the text is about 40 tokens shorter (about 1.6 s less to read).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from pathlib import Path

from summarizer import Settings
from summarizer.backends.modelfile import cached_path
from summarizer.backends.server import EmbeddedServer
from summarizer.eval import runlog
from summarizer.eval.gold import load_gold_dir
from summarizer.eval.match import evidence_sentences
from summarizer.eval.replay import load_interactions
from summarizer.examples import LETTERS
from summarizer.guard import screen
from summarizer.logprobs import TokenLogprob, distribution
from summarizer.plans import flag_score

ROOT = Path(__file__).resolve().parent.parent
GRID = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def number_only(body: dict[str, object]) -> dict[str, object]:
    """The recorded detection request with the sentence text taken out of the question and the system prompt."""
    messages = [dict(m) for m in body["messages"]]  # type: ignore[attr-defined]
    system = messages[0]["content"].replace('"Sentence [n]: <the sentence>"', '"Sentence [n]"')
    messages[0]["content"] = re.sub(r"^Sentence \[(\d+)\]: .*$", r"Sentence [\1]", system, flags=re.M)
    messages[-1]["content"] = re.match(r"Sentence \[\d+\]", messages[-1]["content"]).group(0)  # type: ignore[union-attr]
    return {**body, "messages": messages}


def ask(ids: list[str]) -> tuple[dict[str, list[dict[str, float]]], list[float]]:
    import httpx

    scores: dict[str, list[dict[str, float]]] = {}
    seconds: list[float] = []
    with EmbeddedServer(cached_path(Settings()), alias="bench") as server:
        for case_id in ids:
            recorded = load_interactions(ROOT / "cassettes" / "eval" / "detect" / f"{case_id}.yaml")
            bodies = [json.loads(i["request"]["body"]) for i in recorded]
            scores[case_id] = []
            for body in (b for b in bodies if b["messages"][-1]["content"].startswith("Sentence [")):
                t = time.perf_counter()
                reply = httpx.post(server.base_url + "/chat/completions", json=number_only(body), timeout=600).json()
                seconds.append(time.perf_counter() - t)
                token = TokenLogprob.from_json(reply["choices"][0]["logprobs"]["content"][0])
                scores[case_id].append(distribution(token, [*LETTERS.values(), "N"]))
    return scores, seconds


def table(name: str, scores: dict[str, list[dict[str, float]]], versus_none: bool) -> None:
    cases = {c.id: c for c in load_gold_dir(ROOT / "evals" / "gold", ROOT)}
    print(f"{name}, {'against N' if versus_none else 'five-way share'} (records found / required @ share flagged)")
    for cat, letter in LETTERS.items():
        cells = []
        for t in GRID:
            found = total = flagged = sentences = 0
            for case_id, per in scores.items():
                text = cases[case_id].article.text
                spans = screen(text).visible
                hot = {i for i, p in enumerate(per) if flag_score(p, letter, versus_none) >= t}
                flagged, sentences = flagged + len(hot), sentences + len(per)
                for gold in (g for g in cases[case_id].gold.records()[cat] if not g.optional):
                    evidence = evidence_sentences(text, spans, gold.evidence)
                    total, found = total + 1, found + bool(evidence & hot)
            cells.append(f"{t}:{found}/{total}@{flagged / max(1, sentences):.2f}")
        print(f"  {cat:<12} " + " ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path, help="a detect run log holding the with-text scores")
    parser.add_argument("ids", nargs="+")
    args = parser.parse_args()
    log = runlog.load(args.log)
    recorded = {
        r.id: r.prediction.meta.sentence_scores
        for r in log.cases
        if r.id in args.ids and r.prediction and r.prediction.meta
    }
    asked, seconds = ask(args.ids)
    for versus_none in (False, True):
        table("with the text (recorded)", recorded, versus_none)  # type: ignore[arg-type]
        table("number only", asked, versus_none)
    print(
        "median seconds per number-only question (the first of each article reads the article): "
        f"{statistics.median(seconds):.2f}"
    )


if __name__ == "__main__":
    main()
