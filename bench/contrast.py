"""Does a question with contrasting answers separate a category's sentences better than detection's score?

    python bench/contrast.py [--subset evals/runs/SCREEN.json] [--categories commitments skepticism]

Detection asks of every sentence one letter among T/S/C/K/N, and ``scan`` shows the fill the five sentences
scoring highest against N (:func:`summarizer.plans.flag_score`). The small model's P(C) is high for statements,
demands and predictions as well as pledges. This asks again, of every sentence ``scan`` flags, one letter among
answers that name what the category is confused with (:data:`CONTRASTS`), and scores the
category's answer by its share of the letters. The request is a recorded ``scan`` question (system prompt and
article, from ``cassettes/eval/scan``) with only the last message replaced, on one embedded llama.cpp server.

For each category it prints, over the flagged sentences, how well each score ranks the sentences that are
evidence of a required gold record above the others (ROC AUC), and the required gold records whose evidence is
among the five best sentences of their article (what ``scan``'s fill can find) by detection, by the contrast and
by their product; then the median seconds per question.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import dataclass
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
from summarizer.plans import CUES, MAX_RECORDS, VERSUS_NONE, flag_score

ROOT = Path(__file__).resolve().parent.parent
SCAN_LOG = ROOT / "evals" / "runs" / "20261202-042020-replay-scan.json"


@dataclass(frozen=True)
class Contrast:
    """A one-letter question about one sentence whose first answer is the category and whose others are what the
    small model confuses it with: the category's score is its letter's share (``bench/contrast.py``)."""

    answers: tuple[tuple[str, str], ...]  # (letter, what it means); the first is the category

    @property
    def letters(self) -> list[str]:
        return [x for x, _ in self.answers]


CONTRASTS: dict[str, Contrast] = {
    "commitments": Contrast((
        ("A", "someone pledges, promises, vows, agrees or accepts to do something"),
        ("B", "a demand or call on others to do something"),
        ("C", "a prediction, hope or opinion"),
        ("D", "a report of what happened, or of facts"),
        ("E", "something else"),
    )),
    "skepticism": Contrast((
        ("A", "someone voices doubt, criticism, worry or a warning about a plan, claim or commitment"),
        ("B", "praise, support or hope"),
        ("C", "a plain report of what happened, or of facts"),
        ("D", "a denial of an accusation"),
        ("E", "something else"),
    )),
}  # fmt: skip


def contrast_question(category: str, n: int, sentence: str) -> dict[str, str]:
    """The :data:`CONTRASTS` question about sentence ``n``, as the last message of a detect-prompt call."""
    answers = CONTRASTS[category].answers
    options = "\n".join(f"{x}: {meaning}" for x, meaning in answers)
    letters = ", ".join(x for x, _ in answers[:-1]) + f" or {answers[-1][0]}"
    return {"role": "user", "content": f"Sentence [{n}]: {sentence}\nWhich is it? Answer {letters}.\n{options}"}


def main() -> None:
    import httpx
    from scipy.stats import mannwhitneyu

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subset", type=Path, help="only the articles of this run log")
    parser.add_argument("--categories", nargs="+", default=list(CONTRASTS))
    args = parser.parse_args()
    log = runlog.load(SCAN_LOG).restricted(runlog.load(args.subset) if args.subset is not None else None)
    cases = {c.id: c for c in load_gold_dir(ROOT / "evals" / "gold", ROOT)}
    rows: dict[str, list[tuple[str, int, float, float, bool]]] = {c: [] for c in args.categories}
    needed: dict[str, dict[str, list[set[int]]]] = {c: {} for c in args.categories}
    seconds: list[float] = []
    with EmbeddedServer(cached_path(Settings()), alias="bench") as server:
        for rec in log.cases:
            if rec.prediction is None or rec.prediction.meta is None or not rec.prediction.meta.sentence_scores:
                continue
            scores = rec.prediction.meta.sentence_scores
            text = cases[rec.id].article.text
            spans = screen(text).visible
            recorded = load_interactions(ROOT / "cassettes" / "eval" / "scan" / f"{rec.id}.yaml")
            body = next(
                b for b in (json.loads(i["request"]["body"]) for i in recorded)
                if b["messages"][-1]["content"].startswith("Sentence [")
            )  # fmt: skip
            for cat in args.categories:
                letter, cue = LETTERS[cat], CUES.get(cat)
                golds = [g for g in cases[rec.id].gold.records()[cat] if not g.optional]
                needed[cat][rec.id] = [evidence_sentences(text, spans, g.evidence) for g in golds]
                evidence = set().union(*needed[cat][rec.id]) if golds else set()
                for i, p in enumerate(scores):
                    sentence = text[slice(*spans[i])]
                    detect = flag_score(p, letter, versus_none=True)
                    if detect < VERSUS_NONE[cat] or (cue is not None and not cue.search(sentence)):
                        continue
                    question = {**body, "messages": [*body["messages"][:-1], contrast_question(cat, i + 1, sentence)]}
                    t = time.perf_counter()
                    reply = httpx.post(server.base_url + "/chat/completions", json=question, timeout=600).json()
                    seconds.append(time.perf_counter() - t)
                    token = TokenLogprob.from_json(reply["choices"][0]["logprobs"]["content"][0])
                    share = distribution(token, CONTRASTS[cat].letters)[CONTRASTS[cat].letters[0]]
                    rows[cat].append((rec.id, i, detect, share, i in evidence))
    for cat, rs in rows.items():
        print(f"{cat}: {len(rs)} flagged sentences, {sum(r[4] for r in rs)} gold evidence")
        for name, key in (("detection", 2), ("contrast", 3), ("product", None)):
            value = [(r[2] * r[3] if key is None else r[key]) for r in rs]
            pos = [v for v, r in zip(value, rs, strict=True) if r[4]]
            neg = [v for v, r in zip(value, rs, strict=True) if not r[4]]
            auc = mannwhitneyu(pos, neg).statistic / (len(pos) * len(neg)) if pos and neg else float("nan")
            found = total = 0
            for case_id, golds in needed[cat].items():
                mine = sorted(((v, r[1]) for v, r in zip(value, rs, strict=True) if r[0] == case_id), reverse=True)[
                    :MAX_RECORDS
                ]
                top = {i for _, i in mine}
                total, found = total + len(golds), found + sum(bool(g & top) for g in golds)
            print(f"  {name:<10} AUC {auc:.3f}  required records with evidence in the top {MAX_RECORDS}: "
                  f"{found}/{total}")  # fmt: skip
    print(f"median seconds per question: {statistics.median(seconds):.2f}")


if __name__ == "__main__":
    main()
