"""The shared MARC test files (../shared/data/marc) and what their provenance note says about each."""
import re
import shutil
from pathlib import Path

import pytest

MARC_DIR = next(
    (parent / "shared" / "data" / "marc" for parent in Path(__file__).resolve().parents
     if (parent / "shared" / "data" / "marc").is_dir()),
    None,
)
ISO2709_SUFFIXES = (".mrc", ".dat", ".marc", ".usmarc")
XML_SUFFIXES = (".xml",)
JSON_SUFFIXES = (".json", ".ndj")


def provenance() -> dict[str, str]:
    """Return {file name: "what it is" note} from PROVENANCE.md (empty without shared data)."""
    if MARC_DIR is None:
        return {}
    notes = {}
    for line in (MARC_DIR / "PROVENANCE.md").read_text("utf-8").splitlines():
        match = re.match(r"^\| `([^`]+)` \| [^|]* \| [^|]* \| ([^|]*) \|", line)
        if match:
            notes[match.group(1)] = match.group(2).strip()
    return notes


def marc_files(*, broken: bool | None = None) -> list[str]:
    """Return the ISO 2709, MARCXML and MARC-in-JSON files (only BROKEN/EDGE ones, or only the others)."""
    out = []
    for name, note in sorted(provenance().items()):
        if not name.endswith(ISO2709_SUFFIXES + XML_SUFFIXES + JSON_SUFFIXES):
            continue
        is_broken_or_edge = note.startswith(("BROKEN", "EDGE"))
        if broken is None or broken == is_broken_or_edge:
            out.append(name)
    return out


def path(name: str) -> Path:
    if MARC_DIR is None:
        pytest.skip("../shared/data/marc is not beside this checkout")
    return MARC_DIR / name


def need(tool: str) -> str:
    """Return the path of an external tool, or skip the test saying which Debian package provides it."""
    found = shutil.which(tool)
    if not found:
        package = {"yaz-marcdump": "yaz", "xmllint": "libxml2-utils", "perl": "libmarc-lint-perl"}.get(tool, tool)
        pytest.skip(f"{tool} is not installed (Debian package {package}; scripts/system-deps.sh installs it)")
    return found
