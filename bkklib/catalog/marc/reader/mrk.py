"""MarcMaker/MarcEdit text (.mrk): ``=LDR  ...``, ``=245  10$a...``."""
import re
from collections.abc import Iterator

from .. import encoding as enc
from .. import is_control_tag
from ..messages import Message as _
from ..validate import DEFAULT_LEADER, TAG, problems
from .common import FIXED_FIELDS, ReadResult, RecordError, classify, fixed_field_text

_MRK_ESCAPES = {"{dollar}": "$", "{lcub}": "{", "{rcub}": "}", "{bsol}": "\\"}
_MRK_ESCAPE = re.compile(r"\{(?:dollar|lcub|rcub|bsol)\}|&#x([0-9A-Fa-f]{2,6});")


def _mrk_text(value: str) -> str:
    return _MRK_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else _MRK_ESCAPES[m.group(0)], value)


def read_mrk(stream) -> Iterator[ReadResult]:
    """Yield a ReadResult for each record of MarcMaker/MarcEdit text (``=LDR  ...``, ``=245  10$a...``)."""
    raw = stream.read()
    text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    position = 0
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [line for line in block.split("\n") if line.startswith("=")]
        if not lines:
            continue
        position += 1
        result = ReadResult(position=position, encoding=enc.UTF8)
        record = {"leader": DEFAULT_LEADER, "fields": []}
        try:
            for line in lines:
                tag, value = line[1:4], line[6:] if line[4:6] == "  " else line[5:]
                if tag == "LDR":
                    record["leader"] = value.replace("\\", " ").ljust(24)[:24]
                elif not TAG.match(tag):
                    raise RecordError(_("“{tag}” is not a tag", tag=tag), tag)
                elif is_control_tag(tag):
                    value = _mrk_text(value.replace("\\", " "))
                    record["fields"].append({tag: fixed_field_text(tag, value, result.notes) if tag in FIXED_FIELDS
                                             else value})
                else:
                    ind1, ind2 = (value[0:1].replace("\\", " ") or " "), (value[1:2].replace("\\", " ") or " ")
                    pieces = value[2:].split("$")
                    if pieces[0]:
                        raise RecordError(_("text before the first $ subfield"), tag)
                    subs = [{p[0]: _mrk_text(p[1:])} for p in pieces[1:] if p]
                    record["fields"].append({tag: {"ind1": ind1, "ind2": ind2, "subfields": subs}})
            found = problems(record)
            if found:
                raise RecordError(found[0].reason, found[0].tag)
            result.record = record
            result.control_number = next((v for f in record["fields"] for t, v in f.items() if t == "001"), "")
            classify(result)
        except RecordError as exc:
            result.error, result.tag = exc.reason, exc.tag
        yield result
