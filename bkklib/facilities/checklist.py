"""The Universal Design checklist and the species list shipped with the product (fixtures/PROVENANCE.md).

``load_checklist`` reads ``fixtures/ud_audit_checklist.json`` (a copy of the research file, kept
unchanged) and stores it as a versioned ``Checklist``; the categories and the measurement offered per
item are bkklib's additions, declared here. Loading the same version twice changes nothing; a changed
file must get a new version name (audits keep the version they were made with).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.utils import timezone

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHECKLIST_FILE = FIXTURES / "ud_audit_checklist.json"
SPECIES_FILE = FIXTURES / "tree_species.json"
CHECKLIST_VERSION = "2548-2564-r1"
CHECKLIST_TITLE = "สิ่งอำนวยความสะดวกสำหรับผู้พิการ ทุพพลภาพ และคนชรา (กฎกระทรวง พ.ศ. ๒๕๔๘ แก้ไข พ.ศ. ๒๕๖๔)"

# bkklib's grouping of the items into four categories (Category choices in models.py).
CATEGORY_OF = {
    "parking": "approach", "entrance": "approach", "between_buildings": "approach", "definition_scope": "approach",
    "ramp": "circulation", "lift": "circulation", "stairs": "circulation", "doors": "circulation",
    "handrails": "circulation", "tactile": "circulation",
    "toilet": "toilets",
    "signage": "service", "seating_halls": "service", "service_basics": "service",
}
# What an auditor may measure on site (label, unit). No threshold: the research did not read the numbers.
MEASURES = {
    "parking": ("จำนวนที่จอดรถคนพิการ", "คัน"),
    "ramp": ("ความยาวทางลาดต่อความสูง 1 หน่วย (1:X)", "X"),
    "doors": ("ความกว้างช่องประตู", "ซม."),
    "lift": ("ความกว้างประตูลิฟต์", "ซม."),
    "toilet": ("เส้นผ่านศูนย์กลางพื้นที่หมุนเก้าอี้ล้อ", "ซม."),
    "stairs": ("ความสูงลูกตั้ง", "ซม."),
    "handrails": ("ความสูงราวจับจากพื้น", "ซม."),
    "seating_halls": ("จำนวนที่สำหรับเก้าอี้ล้อ", "ที่"),
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_checklist(Checklist, ChecklistItem, *, path: Path = CHECKLIST_FILE, version: str = CHECKLIST_VERSION):
    """Store the checklist file as ``version`` (models passed in, so a migration can call it); return it."""
    digest = _sha256(path)
    existing = Checklist.objects.filter(version=version).first()
    if existing is not None:
        if existing.sha256 != digest:
            raise ValueError(f"checklist version {version} is already loaded from a different file; "
                             "give the new file a new version name")
        return existing
    data = json.loads(path.read_text(encoding="utf-8"))
    laws = data.get("_meta", {}).get("law", [])
    source = "\n".join([data.get("_meta", {}).get("description", ""),
                        *(f"{law.get('title_th', '')} — {law.get('gazette', '')}" for law in laws),
                        "bkklib/facilities/fixtures/PROVENANCE.md"])
    checklist = Checklist.objects.create(version=version, title=CHECKLIST_TITLE, source=source, sha256=digest,
                                         loaded_at=timezone.now())
    for position, item in enumerate(data["items"], start=1):
        label, unit = MEASURES.get(item["id"], ("", ""))
        ChecklistItem.objects.create(
            checklist=checklist, code=item["id"], position=position,
            category=CATEGORY_OF.get(item["id"], "service"), topic_th=item["topic_th"], topic_en=item["topic_en"],
            requirement=item.get("requirement") or "", verified=bool(item.get("verified")),
            source=item.get("source") or "", measure_label=label, measure_unit=unit)
    return checklist


def load_species(Species, *, path: Path = SPECIES_FILE) -> int:
    """Add the species of the list not yet stored (by code); return how many were added."""
    data = json.loads(path.read_text(encoding="utf-8"))
    added = 0
    for row in data["species"]:
        _, created = Species.objects.get_or_create(code=row["code"], defaults={
            "name_th": row["name_th"], "name_scientific": row["name_scientific"], "form": row["form"]})
        added += created
    return added
