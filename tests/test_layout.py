"""The tests' own rule (``tests/support/__init__.py``): a test module takes shared helpers from ``tests/support/`` or
``tests/fake_openai.py``, never from another test module or from ``conftest.py``."""

from __future__ import annotations

import ast

from .support.paths import ROOT

TESTS = ROOT / "tests"


def imported_modules(source: str, package: tuple[str, ...]) -> list[str]:
    """Dotted names of the modules ``source`` imports from, relative imports resolved against ``package``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            names = [node.module] if node.module else [alias.name for alias in node.names]
            found += [".".join([*base, name]) for name in names]
    return found


def forbidden(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return module.startswith("tests.") and (last == "conftest" or last.startswith("test_"))


def test_the_check_resolves_relative_imports_and_tells_helpers_from_test_modules() -> None:
    source = (
        "from ..conftest import ROOT\nfrom .test_score import TRIPS\nfrom .. import conftest\n"
        "from ..support.cases import FULL\nfrom ..fake_openai import reply\nimport tests.cli.test_eval\nimport json\n"
    )
    modules = imported_modules(source, ("tests", "eval"))
    assert modules == [
        "tests.conftest", "tests.eval.test_score", "tests.conftest", "tests.support.cases", "tests.fake_openai",
        "tests.cli.test_eval", "json",
    ]  # fmt: skip
    assert [forbidden(m) for m in modules] == [True, True, True, False, False, True, False]


def test_no_test_module_imports_another_test_module_or_conftest() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted(TESTS.rglob("*.py"))
        for module in imported_modules(path.read_text(encoding="utf-8"), path.relative_to(ROOT).parent.parts)
        if forbidden(module)
    ]
    assert offenders == []
