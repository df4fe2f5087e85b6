"""The layers depend one way, gui → engine → graph: graph/ and engine/ never touch Qt.

Inside the layers the sub-packages depend one way too (PACKAGE_RULES): the op library needs nothing
else of the engine, compilation needs only the ops, teaching and training sit on top of compilation,
interop (export and import) on top of training, and nothing below it imports it; in the window
the canvas knows nothing of the panels, dialogs or the main window.
"""

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
HEADLESS_PACKAGES = ("graph", "engine")
FORBIDDEN_EVERYWHERE = ("PySide6", "PyQt4", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph")
FORBIDDEN_IN = {"graph": ("engine", "gui"), "engine": ("gui",)}


# package → the packages it must not import (a prefix matches the package and everything below it).
PACKAGE_RULES = {
    "engine.ops": ("engine.compile", "engine.teach", "engine.train", "engine.interop"),
    "engine.compile": ("engine.teach", "engine.train", "engine.interop"),
    "engine.train": ("engine.teach", "engine.interop"),
    "engine.teach": ("engine.interop",),
    "engine.interop": ("engine.teach",),
    "engine.diagnose": ("engine.teach", "engine.interop"),
    "gui.canvas": ("gui.panels", "gui.dialogs", "gui.main_window", "gui.app"),
    "gui.panels": ("gui.app", "gui.dialogs"),
    "gui.dialogs": ("gui.panels", "gui.canvas", "gui.app"),
}


def _python_files(root: Path, package: str) -> list[Path]:
    return sorted((root / package).rglob("*.py"))


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every absolute module name the file imports, with its line number.

    Relative imports are left out: they cannot reach above their own top-level package. Calls to
    importlib.import_module and __import__ with a literal name count as imports.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Call)
            and _call_name(node.func) in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return sorted(found)


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _top(module: str) -> str:
    return module.split(".")[0]


def _violations(package: str, root: Path = REPO_ROOT) -> list[str]:
    banned = FORBIDDEN_EVERYWHERE + FORBIDDEN_IN[package]
    problems = []
    for path in _python_files(root, package):
        for lineno, module in _imported_modules(path):
            if _top(module) in banned:
                problems.append(f"{path.relative_to(root)}:{lineno} imports {module}")
    return problems


@pytest.mark.parametrize("package", HEADLESS_PACKAGES)
def test_headless_layers_import_no_qt_and_no_upper_layer(package):
    problems = _violations(package)
    assert not problems, "layering broken:\n" + "\n".join(problems)


def _package_violations(package: str, root: Path = REPO_ROOT) -> list[str]:
    banned = PACKAGE_RULES[package]
    problems = []
    for path in _python_files(root, package.replace(".", "/")):
        for lineno, module in _imported_modules(path):
            if any(module == b or module.startswith(b + ".") for b in banned):
                problems.append(f"{path.relative_to(root)}:{lineno} imports {module}")
    return problems


@pytest.mark.parametrize("package", sorted(PACKAGE_RULES))
def test_sub_packages_depend_one_way(package):
    assert (REPO_ROOT / package.replace(".", "/") / "__init__.py").exists(), f"{package} is not a package"
    problems = _package_violations(package)
    assert not problems, "package boundary broken:\n" + "\n".join(problems)


def test_the_package_checker_sees_an_upward_import(tmp_path):
    bad = tmp_path / "engine" / "ops" / "bad.py"
    bad.parent.mkdir(parents=True)
    bad.write_text("from engine.compile.plan import Plan\nimport engine.ops.registry\n", encoding="utf-8")
    problems = _package_violations("engine.ops", root=tmp_path)
    assert problems == ["engine/ops/bad.py:1 imports engine.compile.plan"]


def test_the_checker_sees_forbidden_imports(tmp_path):
    bad = tmp_path / "graph" / "bad.py"
    bad.parent.mkdir()
    bad.write_text(
        "import os\nfrom PySide6.QtWidgets import QWidget\nimport pyqtgraph as pg\n"
        "def f():\n    from engine.ops.registry import REGISTRY\n"
        "importlib.import_module('shiboken6')\n",
        encoding="utf-8",
    )
    problems = _violations("graph", root=tmp_path)
    assert [p.split(" imports ")[1] for p in problems] == [
        "PySide6.QtWidgets",
        "pyqtgraph",
        "engine.ops.registry",
        "shiboken6",
    ]
