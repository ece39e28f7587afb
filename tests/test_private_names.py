"""No module imports another module's private (underscore-prefixed) names, except where the rule allows.

The rule: a name that starts with one underscore is private to its module. ``from X import _name``
is allowed only

- from a module of the importing module's own package (siblings share their package's helpers), or
- in an app's tests, from a module of that same app (white-box tests of the app's own helpers).

Never across apps (use or add a public function of the other app's facade) and never from a
third-party library (its private names change without notice). Dunder names (``__version__``) are
public. The walk covers every ``bkklib/**/*.py`` but migrations (generated).
"""
from __future__ import annotations

import ast
from pathlib import Path

BKKLIB = Path(__file__).resolve().parent.parent / "bkklib"

# Imports that broke the rule when it was written, in other helpers' areas of issue 18; each is
# removed from here when its import is. New entries need a reason no public name can serve.
KNOWN: set[tuple[str, str, str]] = set()  # none left: keep it that way


def _module_name(path: Path) -> tuple[str, str]:
    """Return the dotted name of the module at ``path`` and of its package."""
    parts = path.relative_to(BKKLIB.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        name = ".".join(parts[:-1])
        return name, name
    name = ".".join(parts)
    return name, name.rpartition(".")[0]


def _source(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[:len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _app(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "bkklib" and len(parts) > 1 else None


def allowed(importer: str, package: str, source: str) -> bool:
    """Whether ``importer`` (in ``package``) may import a private name of the module ``source``."""
    if _app(source) is None:  # a third-party or standard-library module
        return False
    if source == package or source.rpartition(".")[0] == package:  # the package itself or a sibling
        return True
    return ".tests." in f"{importer}." and _app(importer) == _app(source)


def private_imports() -> list[tuple[str, str, str, str]]:
    """Return ``(importer, source, name, "path:line")`` of every private-name import that breaks the rule."""
    found = []
    for path in sorted(BKKLIB.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        importer, package = _module_name(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if not isinstance(node, ast.ImportFrom):
                continue
            source = _source(node, package)
            for alias in node.names:
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                if private and not allowed(importer, package, source):
                    found.append((importer, source, alias.name, f"{path.relative_to(BKKLIB.parent)}:{node.lineno}"))
    return found


def test_no_module_imports_another_modules_private_names():
    broken = [f"{where}: from {source} import {name}" for importer, source, name, where in private_imports()
              if (importer, source, name) not in KNOWN]
    assert broken == [], "private names imported across modules (make them public or move them):\n" + "\n".join(broken)


def test_the_rule_tells_allowed_from_refused():
    # Siblings of one package, and an app's tests reading that app's helpers: allowed.
    assert allowed("bkklib.circulation.services.holds", "bkklib.circulation.services",
                   "bkklib.circulation.services.lending")
    assert allowed("bkklib.catalog.marc", "bkklib.catalog.marc", "bkklib.catalog.marc.reader")
    assert allowed("bkklib.catalog.tests.test_import", "bkklib.catalog.tests", "bkklib.catalog.marc.extract")
    # Another package of the same app, another app (tests included), a third-party library: refused.
    assert not allowed("bkklib.circulation.views", "bkklib.circulation", "bkklib.circulation.services.lending")
    assert not allowed("bkklib.catalog.pipeline", "bkklib.catalog", "bkklib.search.analysis")
    assert not allowed("bkklib.opac.tests.test_x", "bkklib.opac.tests", "bkklib.catalog.tests.test_y")
    assert not allowed("bkklib.catalog.tests.test_x", "bkklib.catalog.tests", "stdnum.isbn")
