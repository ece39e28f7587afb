"""MARC-in-JSON: one object, an array of them, or one object per line."""
import json
from collections.abc import Iterator

from .. import encoding as enc
from ..messages import Message as _
from ..validate import INDICATOR, problems
from .common import FIXED_FIELDS, ReadResult, classify, fixed_field_text, indicator


def _repair_indicators(fields, notes: list[str]) -> None:
    """Set indicators that are not MARC 21's to blank, with a note (as the ISO 2709 and XML readers do)."""
    for fld in fields if isinstance(fields, list) else ():
        if isinstance(fld, dict) and len(fld) == 1:
            (tag, value), = fld.items()
            if isinstance(value, dict):
                for number, key in ((1, "ind1"), (2, "ind2")):
                    if isinstance(value.get(key), str) and not INDICATOR.match(value[key] or " "):
                        value[key] = indicator(tag, number, value[key], notes)


def _json_result(position: int, obj) -> ReadResult:
    result = ReadResult(position=position, encoding=enc.UTF8)
    if isinstance(obj, dict) and "leader" not in obj and "fields" not in obj:
        keys = ", ".join(map(str, list(obj)[:5]))
        result.error = _("not MARC-in-JSON: an object without “leader” and “fields” (it has: {keys})", keys=keys)
        result.tag = "JSON"
        return result
    if isinstance(obj, dict) and isinstance(obj.get("leader"), str):
        obj["leader"] = obj["leader"].replace("^", " ")  # Catmandu writes blanks as ^
    if isinstance(obj, dict):
        _repair_indicators(obj.get("fields"), result.notes)
    found = problems(obj)
    if found:
        result.error, result.tag = found[0].reason, found[0].tag
        if isinstance(obj, dict):
            result.control_number = next((v for f in obj.get("fields", []) if isinstance(f, dict)
                                          for t, v in f.items() if t == "001" and isinstance(v, str)), "")
        return result
    record = {"leader": obj["leader"], "fields": []}
    for fld in obj["fields"]:
        tag, value = next(iter(fld.items()))
        if isinstance(value, str):
            value = enc.decode_ncr(value)
            record["fields"].append({tag: fixed_field_text(tag, value, result.notes) if tag in FIXED_FIELDS else value})
        else:
            record["fields"].append({tag: {
                "ind1": value.get("ind1", " ") or " ", "ind2": value.get("ind2", " ") or " ",
                "subfields": [{c: enc.decode_ncr(v)} for s in value["subfields"] for c, v in s.items()],
            }})
    if not record["fields"]:
        result.error, result.tag = _("empty record: no fields"), "LDR"
        return result
    result.record = record
    result.control_number = next((v for f in record["fields"] for t, v in f.items() if t == "001"), "")
    return classify(result)


def read_json(stream) -> Iterator[ReadResult]:
    """Yield a ReadResult for each record of MARC-in-JSON: one object, an array, or one object per line."""
    raw = stream.read()
    text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    try:
        data = json.loads(text)
        items = data if isinstance(data, list) else [data]
        for position, obj in enumerate(items, start=1):
            yield _json_result(position, obj)
        return
    except json.JSONDecodeError as whole:
        # One JSON object per line (MARC-in-JSON lines), or not JSON at all: then one error for the file,
        # not one per line.
        first = next((line for line in text.splitlines() if line.strip()), "")
        try:
            json.loads(first)
        except json.JSONDecodeError:
            yield ReadResult(position=1, tag="JSON", error=_(
                "the file is not JSON (line {line}, column {column}: {problem}); nothing was read",
                line=whole.lineno, column=whole.colno, problem=whole.msg))
            return
    position = 0
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        position += 1
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadResult(position=position, offset=line_number, error=_("line {line} is not JSON: {problem}",
                                                                            line=line_number, problem=exc.msg),
                             tag="JSON")
            continue
        yield _json_result(position, obj)
