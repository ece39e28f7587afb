"""What a migration maps: branch, item-type and patron-category codes, and the columns of the CSV exports.

The defaults follow what ULibM and Koha really export (docs/admin/migration.md lists them); a mapping
file (JSON, or TOML by its ``.toml`` name) overrides any part:

    {"branches": {"MAIN": "BCL"}, "default_branch": "BCL",
     "item_types": {"BK": "book", "1": "book"}, "patron_categories": {"PT": "adult"},
     "default_category": "adult", "item_tag": "945",
     "patron_columns": {"national_id": "patron_attributes_NATID"},
     "loan_columns": {"barcode": "itembarcode"}}

A source code without an entry in ``branches`` is matched to the bkklib branch of the same code
(case ignored); one that matches none is reported and its items, patrons and loans are not taken.
"""
from __future__ import annotations

import json
import tomllib
from pathlib import Path

from bkklib.catalog.models import ItemType
from bkklib.circulation.models import PatronCategory
from bkklib.network.models import Branch

from .codes import Mapping
from .exceptions import BadMapping, UnknownSource

SOURCES = ("ulibm", "koha")

# Patron columns: bkklib field -> the export's column(s); several columns are joined with a space
# (address lines) or the first non-empty is taken (phones), as the field needs.
PATRON_COLUMNS = {
    # Koha: Tools › Export patrons / the borrowers table (the columns of Koha's patron import).
    "koha": {
        "card_number": ["cardnumber"], "first_name": ["firstname"], "last_name": ["surname"],
        "name": [], "title": ["title"], "email": ["email"], "phone": ["phone", "mobile", "phonepro"],
        "address": ["streetnumber", "address", "address2", "city", "state", "zipcode"],
        "birth_date": ["dateofbirth"], "branch": ["branchcode"], "category": ["categorycode"],
        "expires": ["dateexpiry"], "note": ["borrowernotes"], "national_id": [],
        "source_id": ["borrowernumber"],
    },
    # ULibM: Members › export (library.membercheck/export.php): one Name column, the prefix in
    # "prefi", the card in "Barcode" (written as '" 123"'), ExpirationDate as year-day-month (BE).
    "ulibm": {
        "card_number": ["Barcode"], "first_name": [], "last_name": [], "name": ["Name"], "title": ["prefi"],
        "email": ["email"], "phone": ["tel"], "address": ["address", "address2"], "birth_date": [],
        "branch": ["LibrarySite"], "category": ["type"], "expires": ["ExpirationDate"], "note": ["descr"],
        "national_id": [], "source_id": [],
    },
}
# Loan columns: barcode, card number, issue date, due date; each with the names the exports use.
LOAN_COLUMNS = {
    "koha": {"barcode": ["barcode"], "card_number": ["cardnumber"], "issued": ["issuedate", "issue_date"],
             "due": ["date_due", "due_date", "duedate"]},
    "ulibm": {"barcode": ["mediaId", "barcode"], "card_number": ["hold", "Barcode", "cardnumber"],
              "issued": ["issuedate", "issue_date", "sdate"], "due": ["duedate", "due_date", "edate"]},
}
DEFAULT_ITEM_TAG = {"ulibm": "945", "koha": "952"}
KEYS = {"branches", "default_branch", "item_types", "patron_categories", "default_category", "item_tag",
        "patron_columns", "loan_columns"}


def read_file(path: Path | str | None) -> dict:
    """Return the mapping file's content (JSON, or TOML by name); raise BadMapping naming the problem."""
    if not path:
        return {}
    path = Path(path)
    try:
        text = path.read_bytes()
        data = tomllib.loads(text.decode("utf-8-sig")) if path.suffix == ".toml" else json.loads(text)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise BadMapping(problem=f"{path.name}: {exc}") from None
    if not isinstance(data, dict):
        raise BadMapping(problem=f"{path.name}: not an object of settings")
    unknown = set(data) - KEYS
    if unknown:
        raise BadMapping(problem=f"{path.name}: unknown setting(s) {', '.join(sorted(unknown))}")
    return data


def build(source: str, data: dict | None = None, *, default_branch: str = "") -> Mapping:
    """Return the Mapping of ``source`` from the mapping file's ``data``, checked against the database."""
    if source not in SOURCES:
        raise UnknownSource(source=source)
    data = data or {}
    known = {code.lower(): code for code in Branch.objects.values_list("code", flat=True)}
    types = {code.lower(): code for code in ItemType.objects.values_list("code", flat=True)}
    categories = set(PatronCategory.objects.values_list("code", flat=True))

    def codes(name: str, valid: dict[str, str] | set[str], what: str) -> dict[str, str]:
        table = data.get(name) or {}
        if not isinstance(table, dict):
            raise BadMapping(problem=f"{name}: not a table of codes")
        out = {}
        for key, value in table.items():
            value = str(value).strip()
            found = valid.get(value.lower()) if isinstance(valid, dict) else (value if value in valid else None)
            if found is None:
                raise BadMapping(problem=f"{name}: {key} → {value}: no {what} has this code")
            out[str(key).strip().lower()] = found
        return out

    branch = default_branch or str(data.get("default_branch") or "")
    if branch and branch.lower() not in known:
        raise BadMapping(problem=f"default_branch: no branch has the code {branch}")
    category = str(data.get("default_category") or "")
    if category and category not in categories:
        raise BadMapping(problem=f"default_category: no patron category has the code {category}")
    mapping = Mapping(
        source=source, branches=codes("branches", known, "branch"),
        default_branch=known.get(branch.lower(), "") if branch else "",
        item_types=codes("item_types", types, "item type"),
        patron_categories=codes("patron_categories", categories, "patron category"),
        default_category=category, item_tag=str(data.get("item_tag") or DEFAULT_ITEM_TAG[source]),
        patron_columns=_columns(PATRON_COLUMNS[source], data.get("patron_columns"), "patron_columns"),
        loan_columns=_columns(LOAN_COLUMNS[source], data.get("loan_columns"), "loan_columns"),
        known_branches=known, category_codes=frozenset(categories),
    )
    return mapping


def _columns(defaults: dict[str, list[str]], given, name: str) -> dict[str, list[str]]:
    out = {key: list(value) for key, value in defaults.items()}
    for key, value in (given or {}).items():
        if key not in out:
            raise BadMapping(problem=f"{name}: {key} is not a field bkklib takes ({', '.join(sorted(out))})")
        out[key] = [value] if isinstance(value, str) else [str(v) for v in value]
    return out
