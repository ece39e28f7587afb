"""Koha-like exports made for tests and the bench: MARC records with 952 items, borrowers and issues CSV.

The shapes follow Koha's: 952 $a/$b branch codes, $c location, $o call number, $p barcode, $y item
type, $7 not for loan, $1 lost, $d date acquired, $g price; the borrowers columns of Koha's patron
export; an issues report of barcode, cardnumber, issuedate, date_due. Deterministic for a seed.
"""
from __future__ import annotations

import csv
import io
import random

from bkklib.catalog.marc.writer import to_iso2709

THAI_WORDS = ["ห้องสมุด", "กรุงเทพ", "ประวัติศาสตร์", "นิทาน", "วิทยาศาสตร์", "ภาษาไทย", "คณิตศาสตร์", "ศิลปะ",
              "ดนตรี", "ธรรมชาติ", "ครอบครัว", "การเดินทาง", "อาหาร", "สุขภาพ", "ชุมชน"]
FIRST = ["สมชาย", "สมหญิง", "วิภา", "ประยุทธ", "กานดา", "อนันต์", "มาลี", "ธนพล"]
LAST = ["ใจดี", "รักเรียน", "สุขสันต์", "ศรีสวัสดิ์", "ทองดี", "มั่นคง"]


def _sf(*pairs):
    return [{code: text} for code, text in pairs if text != ""]


def koha_record(n: int, rng: random.Random, *, branches=("MAIN", "BKN"), items: int = 2) -> dict:
    title = " ".join(rng.sample(THAI_WORDS, 3))
    fields = [{"001": str(n)}, {"003": "KOHA-TEST"}, {"008": "240101s2567    th            000 0 tha d"}]
    if n % 3 == 0:
        fields.append({"020": {"ind1": " ", "ind2": " ", "subfields": _sf(("a", f"97861{n:07d}"[:13]))}})
    fields += [
        {"100": {"ind1": "0", "ind2": " ", "subfields": _sf(("a", f"{rng.choice(FIRST)} {rng.choice(LAST)}"))}},
        {"245": {"ind1": "1", "ind2": "0", "subfields": _sf(("a", f"{title} เล่ม {n}"))}},
        {"260": {"ind1": " ", "ind2": " ", "subfields": _sf(("a", "กรุงเทพฯ :"), ("b", "สำนักพิมพ์ทดสอบ,"),
                                                         ("c", "2567."))}},
    ]
    for i in range(items):
        home = branches[(n + i) % len(branches)]
        fields.append({"952": {"ind1": " ", "ind2": " ", "subfields": _sf(
            ("a", home), ("b", home), ("c", "GEN"), ("d", "2024-01-15"), ("g", "250.00"),
            ("o", f"895.91 ก{n % 100}"), ("p", f"3900{n:07d}{i}"), ("y", "BK"),
            ("7", "1" if n % 50 == 7 and i == 0 else "0"), ("1", "1" if n % 97 == 5 else "0"))}})
    return {"leader": "00000nam a2200000 a 4500", "fields": fields}


def koha_marc(count: int, *, seed: int = 1, branches=("MAIN", "BKN"), items: int = 2) -> bytes:
    rng = random.Random(seed)
    return b"".join(to_iso2709(koha_record(n, rng, branches=branches, items=items)) for n in range(1, count + 1))


BORROWER_COLUMNS = ["borrowernumber", "cardnumber", "surname", "firstname", "title", "address", "city", "zipcode",
                    "email", "phone", "mobile", "dateofbirth", "branchcode", "categorycode", "dateenrolled",
                    "dateexpiry", "borrowernotes"]


def koha_borrowers(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, BORROWER_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in BORROWER_COLUMNS})
    return out.getvalue().encode("utf-8")


def koha_issues(rows: list[tuple[str, str, str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["barcode", "cardnumber", "issuedate", "date_due"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
