"""Can the fill itself say "none"? The probability of an empty record list, against the check and detection.

    python bench/fill_none.py --pipeline sift-all seed-000 dev-05-moon-kim-second-meeting ...

``sift-all`` fills each shown sentence in a call of its own and then checks every record it wrote (one Y/N
token, about 2.5 s a record). The fill's answer starts ``{"records": [`` and its next character is the model's
first choice: ``{`` (a record) or ``]`` (none). This asks every recorded fill of the pipeline again (its cassette,
``cassettes/eval/<pipeline>/<id>.yaml``) of one embedded llama.cpp server, the same request with
``logprobs`` and ``top_logprobs`` and only the first few tokens, and reads P(record) at that choice, normalised
over the two. No cassette or run log is written: the figures are printed.

A shown sentence is *useful* for a kind when it is the evidence of a required gold record of that kind
(:func:`summarizer.eval.match.evidence_sentences`). For each kind it prints how well each score ranks the useful
shown sentences above the others (ROC AUC, :func:`scipy.stats.mannwhitneyu`): detection's score against N (what
chose the sentence), P(record) in the fill, the check's P(Y) (the highest among the records written from that
sentence, 0 when none was), and the product of the last two; then the median seconds per question. It prints the
table every fifth article and at the end. A fill score as good as the check's would let a pipeline drop the checks.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from summarizer import Settings
from summarizer.backends.modelfile import cached_path
from summarizer.backends.server import EmbeddedServer
from summarizer.eval.gold import load_gold_dir
from summarizer.eval.match import evidence_sentences
from summarizer.eval.replay import load_interactions
from summarizer.examples import LETTERS, NONE_LETTER
from summarizer.guard import screen
from summarizer.logprobs import TokenLogprob, distribution
from summarizer.plans import flag_score

ROOT = Path(__file__).resolve().parent.parent
OPENING = '{"records":['  # the forced start of every fill's answer, whitespace removed


def p_record(tokens: list[dict[str, Any]]) -> float | None:
    """P(``{``) against P(``]``) at the first character after the forced opening, from the reply's tokens; None
    when the reply never reaches it."""
    before = ""
    for t in tokens:
        if len((before + t["token"]).replace(" ", "").replace("\n", "")) > len(OPENING):
            mass = {"{": 0.0, "]": 0.0}
            at = TokenLogprob.from_json(t)
            for token, logprob in {at.token: at.logprob, **at.top}.items():
                text = (before + token).replace(" ", "").replace("\n", "")
                if text.startswith(OPENING) and len(text) > len(OPENING) and text[len(OPENING)] in mass:
                    mass[text[len(OPENING)]] += math.exp(logprob)
            total = sum(mass.values())
            return mass["{"] / total if total else None
        before += t["token"]
    return None


def check_scores(bodies: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[tuple[str, str], float]:
    """The recorded checks' P(Y), the highest per (kind, quoted sentence)."""
    best: dict[tuple[str, str], float] = defaultdict(float)
    for request, response in bodies:
        question = request["messages"][-1]["content"]
        if not question.startswith("Check "):
            continue
        kind = question.split()[1].rstrip(":")
        first = response["choices"][0]["logprobs"]["content"][0]
        yes = distribution(TokenLogprob.from_json(first), ["Y", "N"])["Y"]
        for line in question.split("\n")[1:]:
            if line.startswith("> "):
                best[kind, line[2:]] = max(best[kind, line[2:]], yes)
    return best


def auc(scores: list[float], useful: list[bool]) -> float | None:
    from scipy.stats import mannwhitneyu

    pos = [s for s, u in zip(scores, useful, strict=True) if u]
    neg = [s for s, u in zip(scores, useful, strict=True) if not u]
    if not pos or not neg:
        return None
    return float(mannwhitneyu(pos, neg).statistic) / (len(pos) * len(neg))


def main() -> None:
    import httpx

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipeline", default="sift-all")
    parser.add_argument("ids", nargs="+")
    args = parser.parse_args()
    cases = {c.id: c for c in load_gold_dir(ROOT / "evals" / "gold", ROOT)}
    rows: dict[str, list[tuple[bool, float, float, float]]] = defaultdict(list)  # useful, detection, fill, check
    seconds: list[float] = []
    with EmbeddedServer(cached_path(Settings()), alias="bench") as server:
        for done, case_id in enumerate(args.ids, 1):
            case = cases[case_id]
            text = case.article.text
            spans = screen(text).visible
            sentences = [text[slice(*sp)] for sp in spans]
            recorded = load_interactions(ROOT / "cassettes" / "eval" / args.pipeline / f"{case_id}.yaml")
            pairs = [(json.loads(i["request"]["body"]), json.loads(i["response"]["body"]["string"])) for i in recorded]
            checks = check_scores(pairs)
            detection = {
                int(q[len("Sentence [") : q.index("]")]): answer
                for request, answer in pairs
                if (q := request["messages"][-1]["content"]).startswith("Sentence [")
            }
            for request, _ in pairs:
                question = request["messages"][-1]["content"]
                if not question.startswith("Records: "):
                    continue
                kind = question.split()[1]
                shown = [int(line[1 : line.index("]")]) for line in question.split("\n")[1:] if line.startswith("[")]
                if len(shown) != 1:
                    continue  # a fill of several sentences (not one per call)
                n = shown[0]
                body = {**request, "logprobs": True, "top_logprobs": 10, "max_tokens": 8}
                t = time.perf_counter()
                reply = httpx.post(server.base_url + "/chat/completions", json=body, timeout=600).json()
                seconds.append(time.perf_counter() - t)
                fill = p_record(reply["choices"][0]["logprobs"]["content"])
                token = TokenLogprob.from_json(detection[n]["choices"][0]["logprobs"]["content"][0])
                letters = [*LETTERS.values(), NONE_LETTER]
                det = flag_score(distribution(token, letters), LETTERS[kind], versus_none=True)
                evidence = {
                    k + 1
                    for g in case.gold.records()[kind]
                    if not g.optional
                    for k in evidence_sentences(text, spans, g.evidence)
                }
                check = checks[kind, sentences[n - 1]]
                rows[kind].append((n in evidence, det, fill if fill is not None else 0.0, check))
            print(f"{case_id}: {sum(len(r) for r in rows.values())} fills so far", flush=True)
            if done % 5 == 0 and done < len(args.ids):
                table(args.pipeline, done, rows, seconds)  # so far: a long run can be stopped
    table(args.pipeline, len(args.ids), rows, seconds)


def table(
    pipeline: str, articles: int, rows: dict[str, list[tuple[bool, float, float, float]]], seconds: list[float]
) -> None:
    print(f"{pipeline}, {articles} articles: ROC AUC of each score for the useful shown sentences")
    print("| kind | shown | useful | detection | P(record) in the fill | check P(Y) | fill x check |")
    print("|---|---|---|---|---|---|---|")
    for kind in LETTERS:
        r = rows[kind]
        useful = [u for u, *_ in r]
        cells = [auc([row[i] for row in r], useful) for i in (1, 2, 3)]
        cells.append(auc([row[2] * row[3] for row in r], useful))
        figures = " | ".join("-" if c is None else f"{c:.2f}" for c in cells)
        print(f"| {kind} | {len(r)} | {sum(useful)} | {figures} |")
    print(f"median seconds per question: {statistics.median(seconds):.2f}", flush=True)


if __name__ == "__main__":
    main()
