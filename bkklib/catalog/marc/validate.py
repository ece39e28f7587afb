"""Structural checks of a MARC-in-JSON record (what ISO 2709 and MARCXML can carry), and its normal form."""
import re

from . import is_control_tag
from .messages import Message as _

TAG = re.compile(r"^[0-9A-Za-z]{3}$")
INDICATOR = re.compile(r"^[0-9a-z ]$")
# MARCXML's schema allows any graphic ASCII character as a subfield code (real records carry $K, $', $&);
# bkklib's editor is stricter and asks for what MARC 21 defines: a lower-case letter or a digit.
SUBFIELD_CODE = re.compile(r"^[\x21-\x7e]$")
STRICT_SUBFIELD_CODE = re.compile(r"^[0-9a-z]$")
# Characters cataloguers and some systems write for a blank indicator.
BLANK_INDICATORS = {"#": " ", "_": " ", "\\": " ", "^": " ", "\u00a0": " ", "": " "}
# Characters that would break the ISO 2709 structure if they appeared inside data.
STRUCTURE_CHARS = re.compile(r"[\x1d\x1e\x1f]")
DEFAULT_LEADER = "00000nam a2200000 i 4500"
_LEADER_JUNK = re.compile(r"[^0-9A-Za-z ]")


class MarcProblem(ValueError):
    """One structural problem of a record: the field (tag, occurrence) and the reason."""

    def __init__(self, reason: str, *, tag: str = "", position: int | None = None):
        self.reason = reason
        self.tag = tag
        self.position = position
        if position is not None:
            self.message = _("{tag} (field {position}): {reason}", tag=tag, position=position, reason=reason)
        else:
            self.message = _("{tag}: {reason}", tag=tag, reason=reason) if tag else reason
        super().__init__(self.message)


def problems(record: dict) -> list[MarcProblem]:
    """Return every structural problem of ``record`` (empty when it can be written as MARC 21)."""
    found: list[MarcProblem] = []
    if not isinstance(record, dict):
        return [MarcProblem(_("a record must be an object with a leader and fields"))]
    leader = record.get("leader")
    if not isinstance(leader, str) or len(leader) != 24:
        found.append(MarcProblem(_("the leader must be 24 characters"), tag="LDR"))
    fields = record.get("fields")
    if not isinstance(fields, list):
        return found + [MarcProblem(_("fields must be a list"))]
    for position, fld in enumerate(fields, start=1):
        if not isinstance(fld, dict) or len(fld) != 1:
            found.append(MarcProblem(_("each field must be a single tag"), position=position))
            continue
        tag, value = next(iter(fld.items()))
        if not isinstance(tag, str) or not TAG.match(tag):
            found.append(MarcProblem(_("“{tag}” is not a tag of three letters or digits", tag=tag), tag=str(tag),
                                     position=position))
            continue
        if is_control_tag(tag):
            if not isinstance(value, str):
                found.append(MarcProblem(_("a control field (00X) has a value, not subfields"), tag=tag,
                                         position=position))
            elif STRUCTURE_CHARS.search(value):
                found.append(MarcProblem(_("contains a MARC delimiter character"), tag=tag, position=position))
            continue
        if not isinstance(value, dict):
            found.append(MarcProblem(_("a data field needs indicators and subfields"), tag=tag, position=position))
            continue
        for ind in ("ind1", "ind2"):
            char = value.get(ind, " ")
            if not isinstance(char, str) or not INDICATOR.match(char):
                found.append(MarcProblem(_("indicator {number} “{value}” must be a digit, a lower-case letter or blank",
                                           number=ind[-1], value=char), tag=tag, position=position))
        subs = value.get("subfields")
        if not isinstance(subs, list) or not subs:
            found.append(MarcProblem(_("a data field needs at least one subfield"), tag=tag, position=position))
            continue
        for sub in subs:
            if not isinstance(sub, dict) or len(sub) != 1:
                found.append(MarcProblem(_("each subfield must be one code with one value"), tag=tag,
                                         position=position))
                continue
            code, text = next(iter(sub.items()))
            if not isinstance(code, str) or not SUBFIELD_CODE.match(code):
                found.append(MarcProblem(_("subfield code “{code}” must be a letter, a digit or a symbol of ASCII",
                                           code=code), tag=tag, position=position))
            if not isinstance(text, str):
                found.append(MarcProblem(_("subfield ${code} must be text", code=code), tag=tag, position=position))
            elif STRUCTURE_CHARS.search(text):
                found.append(MarcProblem(_("subfield ${code} contains a MARC delimiter character", code=code), tag=tag,
                                         position=position))
    return found


def normalise(record: dict, *, structured: bool = False) -> dict:
    """Return ``record`` in bkklib's normal form: a Unicode leader (09 'a'), blank indicators for missing ones.

    Text is kept as given (no Unicode normalisation), so an import keeps every character of its source.
    Control fields (00X) come before data fields, as MARCXML's schema requires; otherwise the order is kept.
    Leader characters that are not letters, digits or blanks become blanks (``repair_leader`` reports them).
    ``structured``: the fields already have the normal structure (the ISO 2709 reader's output, see
    ``reader.ReadResult.structured``); they are then reused, not copied.
    """
    leader = _LEADER_JUNK.sub(" ", (record.get("leader") or DEFAULT_LEADER)).ljust(24)[:24]
    # Lengths (00-04, 12-16) are computed when the record is written; 09 'a' (Unicode), 10-11 '22' and
    # 20-23 '4500' are fixed values of every MARC 21 record.
    leader = "00000" + leader[5:9] + "a22" + "00000" + leader[17:20] + "4500"
    if structured:
        fields = record.get("fields", [])
    else:
        fields = []
        for fld in record.get("fields", []):
            tag, value = next(iter(fld.items()))
            if isinstance(value, str):
                fields.append({tag: value})
            else:
                fields.append({tag: {
                    "ind1": value.get("ind1", " ") or " ",
                    "ind2": value.get("ind2", " ") or " ",
                    "subfields": [{c: v} for s in value.get("subfields", []) for c, v in s.items()],
                }})
    first_data = next((i for i, f in enumerate(fields) if not _is_control(f)), len(fields))
    if any(_is_control(f) for f in fields[first_data:]):  # a control field after a data field
        fields = [f for f in fields if _is_control(f)] + [f for f in fields if not _is_control(f)]
    elif structured:
        fields = list(fields)
    return {"leader": leader, "fields": fields}


def _is_control(fld: dict) -> bool:
    return isinstance(next(iter(fld.values())), str)


def repair_leader(record: dict, notes: list[str]) -> None:
    """Make the leader one MARC 21 and MARCXML accept, noting each repair (type of record, stray characters)."""
    leader = (record.get("leader") or DEFAULT_LEADER).ljust(24)[:24]
    junk = [m.start() for m in _LEADER_JUNK.finditer(leader)]
    if junk:
        notes.append(_("leader: characters at position {positions} are not codes: set to blank",
                       positions=", ".join(map(str, junk))))
        leader = _LEADER_JUNK.sub(" ", leader)
    if leader[6] == " ":
        notes.append(_("leader/06 (type of record) is blank: set to a (language material)"))
        leader = leader[:6] + "a" + leader[7:]
    record["leader"] = leader
