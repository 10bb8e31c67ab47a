"""Reading the PDFs we generate the way a person would: pdftotext for their words and pdftoppm
for every page as PNG (written to tests/pdf-pages/, git-ignored, to be looked at).

Without poppler-utils (or WeasyPrint's Pango) the PDF tests are skipped, unless
TROPHIES_REQUIRE_PDF=1 (set by .ci/run): then they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

PAGES_DIR = Path(__file__).resolve().parent / "pdf-pages"


def _problem() -> str | None:
    for tool in ("pdftotext", "pdftoppm", "pdfinfo"):
        if shutil.which(tool) is None:
            return f"{tool} is missing (Debian package poppler-utils)"
    try:
        import weasyprint  # noqa: F401
    except OSError as error:  # Pango missing
        return f"WeasyPrint cannot load its libraries: {error}"
    return None


def require_pdf_tools(*, module_level: bool = False) -> None:
    problem = _problem()
    if problem is None:
        return
    if os.environ.get("TROPHIES_REQUIRE_PDF") == "1":
        pytest.fail(f"TROPHIES_REQUIRE_PDF=1 but {problem}", pytrace=False)
    pytest.skip(problem, allow_module_level=module_level)


@pytest.fixture
def pdf_tools() -> None:
    require_pdf_tools()


def pdf_text(data: bytes, *, layout: bool = False, first: int | None = None,
             last: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    done = subprocess.run([*args, "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def words(data: bytes) -> str:
    """The text with every run of white space (line breaks included) made one space."""
    return re.sub(r"\s+", " ", pdf_text(data))


def pdf_info(data: bytes) -> dict[str, str]:
    done = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
    info = {}
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def embedded_fonts(data: bytes) -> set[str]:
    """The fonts embedded in the PDF, without their subset prefix ("Inter-Bold")."""
    done = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True)
    lines = done.stdout.decode("utf-8", "replace").splitlines()[2:]
    appended_pages_fonts = {"Helvetica", "Helvetica-Bold"}  # fonts of appended candidate PDFs
    return {line.split()[0].split("+")[-1] for line in lines if line.strip()} - \
        appended_pages_fonts


def render_pages(data: bytes, name: str, dpi: int = 60) -> list[Path]:
    """Every page as tests/pdf-pages/<name>-<n>.png; fails unless there is one PNG per page."""
    PAGES_DIR.mkdir(exist_ok=True)
    for old in PAGES_DIR.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-", str(PAGES_DIR / name)],
                   input=data, capture_output=True, check=True)
    pngs = sorted(PAGES_DIR.glob(f"{name}-*.png"))
    pages = int(pdf_info(data)["Pages"])
    assert len(pngs) == pages, f"{len(pngs)} PNG for {pages} pages"
    for png in pngs:
        assert png.stat().st_size > 1000, f"{png} looks empty"
    return pngs
