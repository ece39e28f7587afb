"""The change history of a record and its items, for the record's history page.

A record's columns (title, authors, year...) are derived from its MARC, so a record's change is shown
once, as the MARC fields and subfields that changed (``245 $b: — → นวนิยาย``, ``590 $a`` added);
an item's change as its fields, by name.
"""
from django.utils.translation import gettext as _

from bkklib.core.history import Change, changes, user_name

from .marc.extract import MODEL_FIELDS
from .models import Item, Record

# Shown through the MARC diff (derived from it), or bookkeeping.
RECORD_HIDDEN = (*MODEL_FIELDS, "marc")


def _fields_by_tag(marc: dict | None) -> dict[str, list]:
    found: dict[str, list] = {}
    for fld in (marc or {}).get("fields", []):
        for tag, value in fld.items():
            found.setdefault(tag, []).append(value)
    return found


def _subfields(value: dict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for sub in value.get("subfields", []):
        for code, text in sub.items():
            found.setdefault(code, []).append(text)
    return found


def _field_text(value) -> str:
    if isinstance(value, str):
        return value
    ind = (value.get("ind1") or " ") + (value.get("ind2") or " ")
    subs = " ".join(f"${code} {text}" for sub in value.get("subfields", []) for code, text in sub.items())
    return f"{ind.replace(' ', '_')} {subs}".strip()


def _label(tag: str, index: int, count: int, code: str = "") -> str:
    label = tag if count < 2 else f"{tag} ({index + 1})"
    return f"{label} ${code}" if code else label


def marc_changes(old: dict | None, new: dict | None) -> list[Change]:
    """Return the MARC fields and subfields that differ between two MARC-in-JSON records.

    Repeated fields are paired by their order under the tag; a field only in ``new`` is added, only
    in ``old`` removed; within a paired data field, indicators and each subfield code are compared.
    """
    found = []
    if (old or {}).get("leader") != (new or {}).get("leader"):
        found.append(Change("marc", _("Leader"), (old or {}).get("leader", ""), (new or {}).get("leader", "")))
    before, after = _fields_by_tag(old), _fields_by_tag(new)
    for tag in sorted(set(before) | set(after)):
        olds, news = before.get(tag, []), after.get(tag, [])
        count = max(len(olds), len(news))
        for i in range(count):
            o = olds[i] if i < len(olds) else None
            n = news[i] if i < len(news) else None
            if o == n:
                continue
            if o is None or n is None or isinstance(o, str) or isinstance(n, str):
                found.append(Change("marc", _label(tag, i, count), _field_text(o) if o is not None else "",
                                    _field_text(n) if n is not None else ""))
                continue
            for ind in ("ind1", "ind2"):
                if (o.get(ind) or " ") != (n.get(ind) or " "):
                    name = _("indicator {n}").format(n=ind[-1])
                    found.append(Change("marc", f"{_label(tag, i, count)} {name}", o.get(ind) or "_",
                                        n.get(ind) or "_"))
            osubs, nsubs = _subfields(o), _subfields(n)
            for code in sorted(set(osubs) | set(nsubs)):
                ov, nv = osubs.get(code, []), nsubs.get(code, [])
                for j in range(max(len(ov), len(nv))):
                    a = ov[j] if j < len(ov) else ""
                    b = nv[j] if j < len(nv) else ""
                    if a != b:
                        found.append(Change("marc", _label(tag, i, count, code), a, b))
    return found


def entries(record: Record, *, limit: int = 200) -> list[dict]:
    """The record's and its items' history rows, newest first: ``{"row", "what", "who", "changes"}``."""
    found = []
    cache: dict = {}
    record_rows = list(record.history.select_related("history_user").order_by("-history_date", "-history_id")
                       [:limit + 1])
    for row, previous in zip(record_rows, [*record_rows[1:], None], strict=False):
        if len(record_rows) > limit and row is record_rows[-1]:
            break
        listed = []
        if previous is not None and row.history_type != "+":
            listed = changes(row, previous, hidden=RECORD_HIDDEN, cache=cache) + marc_changes(previous.marc, row.marc)
        found.append({"row": row, "what": _("record"), "who": user_name(row.history_user), "changes": listed})
    item_rows = list(Item.history.filter(record_id=record.pk).select_related("history_user")
                     .order_by("id", "-history_date", "-history_id"))
    for row, previous in zip(item_rows, [*item_rows[1:], None], strict=False):
        if previous is not None and previous.id != row.id:
            previous = None
        listed = changes(row, previous, cache=cache) if previous is not None and row.history_type != "+" else []
        found.append({"row": row, "what": _("item {barcode}").format(barcode=row.barcode),
                      "who": user_name(row.history_user), "changes": listed})
    found.sort(key=lambda e: e["row"].history_date, reverse=True)
    return found[:limit]
