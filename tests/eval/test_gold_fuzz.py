"""Fuzzing the gold loader: ``check_gold`` never raises, ``load_gold_dir`` raises nothing but ``GoldFormatError``.

Each example is a fresh directory laid out like the repository (``<root>/evals/gold/*.json`` whose ``article``
is a path relative to ``<root>``, the real ``evals/articles/seed-000.txt`` copied in) holding arbitrary bytes,
arbitrary JSON, or random mutations of the real ``evals/gold/seed-000.json``.

Contract: ``check_gold(path, root)`` returns ``(None, problems)`` with at least one non-empty problem, or
``(case, problems)``; ``load_gold_dir`` returns the cases when no file has a problem and otherwise raises
:class:`GoldFormatError` listing them. The inputs these fuzzers first found crashing the loader are pinned as
regression examples at the end.
"""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from summarizer.errors import GoldFormatError
from summarizer.eval.gold import GOLD_FORMAT, GoldCase, check_gold, load_gold_dir

from ..support.paths import ROOT

FILES = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

REAL_GOLD = ROOT / "evals" / "gold" / "seed-000.json"
REAL: dict[str, Any] = json.loads(REAL_GOLD.read_text(encoding="utf-8"))
ARTICLE_REL: str = REAL["article"]  # "evals/articles/seed-000.txt", relative to the root
ARTICLE_BYTES = (ROOT / ARTICLE_REL).read_bytes()
RECORD_KEYS = sorted({k for cat in ("trips", "summits", "commitments", "skepticism") for r in REAL[cat] for k in r})

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20), st.just(GOLD_FORMAT)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)
article_paths = st.one_of(
    st.sampled_from([ARTICLE_REL, "", ".", "evals", "evals/articles", "evals/gold/x.json", "missing.txt", "x" * 300]),
    st.text(max_size=30),
)


@st.composite
def gold_like(draw: st.DrawFn) -> dict[str, Any]:
    """A JSON object with some of the gold keys, records with some of the record keys, values of any type."""
    record = st.dictionaries(st.sampled_from(RECORD_KEYS), json_values, max_size=len(RECORD_KEYS))
    records = st.one_of(st.lists(record, max_size=3), json_values)
    optional = {
        "format": st.one_of(st.just(GOLD_FORMAT), json_values),
        "id": st.one_of(st.text(max_size=12), json_values),
        "article": st.one_of(article_paths, json_values),
        "published": st.one_of(st.dates().map(str), json_values),
        "summary": json_values,
        "notes": json_values,
        **{cat: records for cat in ("trips", "summits", "commitments", "skepticism")},
    }
    return draw(st.fixed_dictionaries({}, optional=optional))


def _slots(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Paths to every value inside ``value`` (not the root itself)."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield (*path, key)
        yield from _slots(child, (*path, key))


def _same_type(value: Any) -> st.SearchStrategy[Any]:
    """Another value of the same JSON type (so the schema may still hold and the deeper checks run)."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.integers(-5, 200)
    if isinstance(value, str):
        return st.one_of(st.text(max_size=30), st.sampled_from(["2018", "2018-13", "2018-10/2019-01", "a/b/c", "x y"]))
    return json_values


def _retype(value: Any) -> Any:
    """The same content as another JSON type."""
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return [value] if len(value) % 2 else len(value)
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    return list(value.values())


@st.composite
def mutated_gold(draw: st.DrawFn) -> Any:
    """The real gold file with one to three random edits: same type, delete, replace, retype, null, add a key."""
    doc: Any = copy.deepcopy(REAL)
    for _ in range(draw(st.integers(1, 3))):
        slots = list(_slots(doc))
        if not slots:
            break
        *parents, key = draw(st.sampled_from(slots))
        parent = doc
        for p in parents:
            parent = parent[p]
        op = draw(st.sampled_from(["same-type", "same-type", "delete", "replace", "retype", "null", "add"]))
        if op == "same-type":
            parent[key] = draw(article_paths if key == "article" else _same_type(parent[key]))
        elif op == "delete":
            del parent[key]
        elif op == "replace":
            parent[key] = draw(article_paths if key == "article" else json_values)
        elif op == "retype":
            parent[key] = _retype(parent[key])
        elif op == "null":
            parent[key] = None
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(json_values)
        else:
            parent.append(draw(json_values))
    return doc


def _under_root(doc: Any) -> bool:
    """The gold file's ``article`` is not an absolute path: every read stays inside the example's directory.

    (A safety rule for the fuzzer, which must not open arbitrary files such as devices; not a loader limitation.)
    """
    art = doc.get("article") if isinstance(doc, dict) else None
    return not (isinstance(art, str) and art.startswith("/"))


@pytest.fixture(scope="module")
def base() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


def make_root(base: Path, article: bytes = ARTICLE_BYTES) -> Path:
    root = Path(tempfile.mkdtemp(dir=base))
    (root / "evals" / "gold").mkdir(parents=True)
    (root / ARTICLE_REL).parent.mkdir(parents=True, exist_ok=True)
    (root / ARTICLE_REL).write_bytes(article)
    return root


def write_gold(root: Path, doc: Any, name: str = "x.json") -> Path:
    path = root / "evals" / "gold" / name
    path.write_bytes(doc if isinstance(doc, bytes) else json.dumps(doc).encode("ascii"))
    return path


def check_one(path: Path, root: Path) -> tuple[GoldCase | None, list[str]]:
    """``check_gold`` plus its contract."""
    case, problems = check_gold(path, root)
    if currently_in_test_context():  # shown by --hypothesis-show-statistics
        event("no case" if case is None else "case with problems" if problems else "valid case")
    assert isinstance(problems, list)
    assert all(isinstance(p, str) and p.strip() for p in problems), problems
    if case is None:
        assert problems, "no case and no problem"
    else:
        assert isinstance(case, GoldCase) and case.path == path
        assert isinstance(case.id, str) and case.article.text.strip()
    return case, problems


def check_dir(root: Path, expect_ok: bool | None = None) -> list[GoldCase] | None:
    """``load_gold_dir`` plus its contract; ``expect_ok`` is what ``check_gold`` said of each file."""
    try:
        cases = load_gold_dir(root / "evals" / "gold", root)
    except GoldFormatError as exc:
        assert exc.problems and all(isinstance(p, str) and p.strip() for p in exc.problems)
        assert expect_ok is not True, exc.problems
        return None
    assert expect_ok is not False
    assert cases and all(isinstance(c, GoldCase) for c in cases)
    return cases


def test_the_real_gold_file_loads_from_a_copied_root(base: Path) -> None:
    root = make_root(base)
    path = write_gold(root, REAL_GOLD.read_bytes())
    case, problems = check_one(path, root)
    assert case is not None and problems == [] and case.id == "seed-000"
    cases = check_dir(root, expect_ok=True)
    assert cases is not None and [c.id for c in cases] == ["seed-000"]
    assert check_gold(REAL_GOLD, ROOT)[1] == []


@FILES
@given(
    st.one_of(
        st.binary(max_size=200),
        st.tuples(st.integers(0, len(REAL_GOLD.read_bytes())), st.just(REAL_GOLD.read_bytes())).map(
            lambda nb: nb[1][: nb[0]]  # the real file cut short
        ),
        st.just(b"\xef\xbb\xbf" + REAL_GOLD.read_bytes()),  # with a UTF-8 BOM
        st.just(REAL_GOLD.read_text(encoding="utf-8").encode("utf-16")),
        st.text(max_size=50).map(lambda s: s.encode("utf-8", "surrogatepass")),
    )
)
@example(b"")
@example(b"\xff\xfe")
@example(b"null")
@example(b'"\\ud800"')
def test_arbitrary_bytes_are_problems_not_crashes(base: Path, data: bytes) -> None:
    root = make_root(base)
    case, problems = check_one(write_gold(root, data), root)
    check_dir(root, expect_ok=case is not None and not problems)


def check_doc(base: Path, doc: Any) -> None:
    """One gold document in a fresh root: problems or a case from the file, the same verdict from the directory."""
    assume(_under_root(doc))
    root = make_root(base)
    case, problems = check_one(write_gold(root, doc), root)
    check_dir(root, expect_ok=case is not None and not problems)


@FILES
@given(st.one_of(json_values, gold_like()))
@example([])
@example({"format": GOLD_FORMAT})
@example({**REAL, "trips": {}})
def test_arbitrary_json_is_problems_not_crashes(base: Path, doc: Any) -> None:
    check_doc(base, doc)


@FILES
@given(mutated_gold())
@example({k: v for k, v in REAL.items() if k != "trips"})
@example({**REAL, "article": "evals"})  # a directory
@example({**REAL, "article": "x" * 300})  # a name too long for the file system
@example({**REAL, "id": "../x"})
@example({**REAL, "published": "2018-02-30"})
@example({**REAL, "trips": [{**REAL["trips"][0], "evidence": [None]}]})
def test_mutated_real_gold_files_are_problems_not_crashes(base: Path, doc: Any) -> None:
    check_doc(base, doc)


@FILES
@given(st.lists(st.one_of(mutated_gold(), st.just(REAL)), min_size=1, max_size=3))
@example([REAL, REAL])  # the same id twice
def test_a_directory_of_mutated_files_loads_or_raises_gold_format_error(base: Path, docs: list[Any]) -> None:
    assume(all(_under_root(d) for d in docs))
    root = make_root(base)
    oks = [check_one(write_gold(root, d, f"g{i}.json"), root) for i, d in enumerate(docs)]
    ids = [c.id for c, _ in oks if c is not None]
    ok = all(c is not None and not p for c, p in oks) and len(set(ids)) == len(ids)
    cases = check_dir(root, expect_ok=ok)
    assert cases is None or len(cases) == len(docs)


# The article *file* a gold file points to, and the ``article`` path itself, fuzzed on their own.

_article_bytes = st.one_of(
    st.just(ARTICLE_BYTES),
    st.binary(max_size=100),
    st.sampled_from([b"", b" \n", b"id: x\n\n", b"published: soon\n\nText.", b"<html><![0", b"<html><p></p>"]),
    st.text(max_size=60).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.tuples(st.dates().map(str), st.text(max_size=12)).map(lambda t: f"published: {t[0]}{t[1]}\n\nBody.".encode()),
    st.just(ARTICLE_BYTES.decode("utf-8").encode("utf-16")),
)


@FILES
@given(_article_bytes, st.booleans())
def test_any_article_file_is_problems_not_crashes(base: Path, article: bytes, keep_published: bool) -> None:
    root = make_root(base, article)
    doc = REAL if keep_published else {k: v for k, v in REAL.items() if k != "published"}
    case, problems = check_one(write_gold(root, doc), root)
    check_dir(root, expect_ok=case is not None and not problems)


@FILES
@given(st.text(max_size=300))
def test_any_article_path_is_problems_not_crashes(base: Path, article: str) -> None:
    root = make_root(base)
    case, problems = check_one(write_gold(root, {**REAL, "article": article.lstrip("/")}), root)
    check_dir(root, expect_ok=case is not None and not problems)


# Regressions: the minimal inputs with which the fuzzers above first crashed check_gold (each let the named
# exception escape; see summarizer/eval/gold.py check_gold). Each must now be a reported problem.


@pytest.mark.parametrize(
    ("doc", "article"),
    [
        pytest.param(b"[" * 100_000 + b"]" * 100_000, ARTICLE_BYTES, id="deeply-nested-json-RecursionError"),
        pytest.param(b"1" * 4301, ARTICLE_BYTES, id="int-over-4300-digits-ValueError"),
        pytest.param({**REAL, "article": "\x00"}, ARTICLE_BYTES, id="nul-in-article-path-ValueError"),
        pytest.param({**REAL, "article": "\ud800"}, ARTICLE_BYTES, id="surrogate-in-article-path-UnicodeEncodeError"),
        pytest.param(REAL, b"\xff", id="article-not-utf8-UnicodeDecodeError"),
        pytest.param(REAL, b"", id="empty-article-InputError"),
        pytest.param({**REAL, "published": None}, b"published: x\n\nT.", id="bad-header-date-InputError"),
        pytest.param(REAL, b"<html><![0", id="html-parser-failure-AssertionError"),
    ],
)
def test_inputs_that_used_to_crash_are_problems(base: Path, doc: Any, article: bytes) -> None:
    root = make_root(base, article)
    case, problems = check_one(write_gold(root, doc), root)
    assert case is None and problems
    with pytest.raises(GoldFormatError):
        load_gold_dir(root / "evals" / "gold", root)
