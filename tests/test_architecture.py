"""Architecture: the domain layer is pure (standard library and trophies.domain only)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parent.parent / "trophies" / "domain"
FORBIDDEN_PACKAGES = {"flask", "sqlalchemy", "werkzeug", "wtforms", "jinja2", "babel"}
#: The only exception: the assignment solver may use numeric libraries (design.md section 5).
NUMERIC = {"assignment.py": {"numpy", "scipy"}, "results.py": {"numpy"}}
FORBIDDEN_TROPHIES = {"trophies.web", "trophies.services", "trophies.models", "trophies.app",
                      "trophies.extensions", "trophies.cli", "trophies.permissions"}


def imported_modules(source: str, module: str) -> list[str]:
    """Every absolute module name imported by `source` (relative imports resolved)."""
    names: list[str] = []
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                names.append(".".join(base + ([node.module] if node.module else [])))
            else:
                names.append(node.module or "")
    return names


def violations(name: str) -> bool:
    top = name.split(".")[0]
    if top in FORBIDDEN_PACKAGES or top.startswith("flask_"):
        return True
    if top == "trophies":
        return not (name == "trophies.domain" or name.startswith("trophies.domain."))
    return top not in sys.stdlib_module_names and top != "__future__"


def problems_in(filename: str, source: str) -> list[str]:
    allowed = NUMERIC.get(filename, set())
    return [f"{filename} imports {name}"
            for name in imported_modules(source, f"trophies.domain.{filename[:-3]}")
            if violations(name) and name.split(".")[0] not in allowed]


def test_the_checker_catches_framework_and_outer_layer_imports():
    bad = ("import flask\nfrom sqlalchemy import select\nimport flask_login\n"
           "from trophies.models import User\nfrom trophies.services import mail\n"
           "from ..web import views\nimport numpy\n")
    found = [n for n in imported_modules(bad, "trophies.domain.x") if violations(n)]
    assert found == ["flask", "sqlalchemy", "flask_login", "trophies.models",
                     "trophies.services", "trophies.web", "numpy"]
    good = ("import re\nfrom dataclasses import dataclass\n"
            "from trophies.domain.vocabulary import Phase\nfrom . import errors\n")
    assert not [n for n in imported_modules(good, "trophies.domain.x") if violations(n)]
    assert all(violations(m) for m in FORBIDDEN_TROPHIES)


def test_only_the_solver_may_import_numeric_libraries_and_nothing_else_outer():
    numeric = "import numpy as np\nfrom scipy.optimize import linprog\n"
    assert problems_in("assignment.py", numeric) == []
    assert problems_in("scoring.py", numeric) == ["scoring.py imports numpy",
                                                  "scoring.py imports scipy.optimize"]
    assert problems_in("assignment.py", "import flask\nimport pandas\nimport highspy\n") == [
        "assignment.py imports flask", "assignment.py imports pandas",
        "assignment.py imports highspy"]


def test_domain_modules_import_only_the_standard_library_and_the_domain():
    files = sorted(DOMAIN.glob("*.py"))
    assert len(files) >= 5, "the domain package moved?"
    problems = []
    for path in files:
        problems.extend(problems_in(path.name, path.read_text("utf-8")))
    assert problems == []


TROPHIES = DOMAIN.parent


def test_only_trophies_pdf_imports_weasyprint():
    """One place configures WeasyPrint (fetcher, PDF/UA, gc pause): nothing else bypasses it."""
    importers = []
    for path in sorted(TROPHIES.rglob("*.py")):
        module = ".".join(path.relative_to(TROPHIES.parent).with_suffix("").parts)
        names = imported_modules(path.read_text(encoding="utf-8"), module)
        if any(n.split(".")[0] == "weasyprint" for n in names):
            importers.append(module)
    assert importers == ["trophies.pdf"]
