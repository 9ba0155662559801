"""The suite's own layout: test modules share helpers through tests/support/ and fixtures through
conftest.py files, never by importing one another (pytest would collect the imported fixtures and
tests twice, and moving or renaming one test file would break another)."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported_modules(path: Path, root: Path) -> list[str]:
    """Every module that `path` imports, absolute or relative, wherever the import is."""
    package = ".".join(path.relative_to(root.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            found.append(base)
            found += [f"{base}.{alias.name}" for alias in node.names]
    return found


def named_test_module(name: str) -> str | None:
    """`tests.kpis.test_a` for `tests.kpis.test_a.helper`; None if no test module is named."""
    parts = name.split(".")
    if parts[0] != "tests":
        return None
    for end, part in enumerate(parts):
        if part.startswith("test_") or part == "conftest":
            return ".".join(parts[: end + 1])
    return None


def offending_imports(root: Path) -> list[str]:
    """ "<file> imports <test module>" for every such import under `root` (a tests folder)."""
    found: dict[str, None] = {}
    for path in sorted(root.rglob("*.py")):
        for name in imported_modules(path, root):
            module = named_test_module(name)
            if module is not None:
                found[f"{path.relative_to(root.parent)} imports {module}"] = None
    return list(found)


def test_no_module_under_tests_imports_a_test_module_or_a_conftest():
    assert offending_imports(TESTS) == []


def test_the_check_finds_an_import_of_another_test_module(tmp_path):
    root = tmp_path / "tests"
    (root / "kpis").mkdir(parents=True)
    (root / "kpis" / "test_a.py").write_text("from tests.vendors.test_b import helper\n")
    (root / "kpis" / "test_c.py").write_text("from .test_a import x\nimport tests.conftest\n")
    (root / "kpis" / "test_d.py").write_text("from tests.support.vendors import vendor_make\n")
    assert offending_imports(root) == [
        "tests/kpis/test_a.py imports tests.vendors.test_b",
        "tests/kpis/test_c.py imports tests.kpis.test_a",
        "tests/kpis/test_c.py imports tests.conftest",
    ]
