#!/usr/bin/env python3
"""Build bkklib/network/fixtures/bangkok_district_boundaries.geojson from a Thailand ADM2 GeoJSON.

The source is the OCHA/HDX COD-AB Thailand district layer (tha_admbnda_adm2_rtsd_20190221,
Royal Thai Survey Department, CC BY-IGO 3.0) as converted to GeoJSON and topologically
simplified by github.com/Sompobch/thailand-geojson-topojson (file thailand_district.geojson,
commit 1f2aca6041f8726a8ae844ef45bdb3449ad9d78c); see bkklib/network/fixtures/PROVENANCE.md.
Any GeoJSON with the COD-AB properties (ADM1_EN, ADM2_TH, ADM2_EN, optionally ADM2_PCODE)
works, e.g. the full-resolution HDX file converted with ogr2ogr.

What it does, and nothing else:

1. keeps the features of Bangkok (ADM1_EN "Bangkok" or ADM1_PCODE "TH10");
2. matches each to our district code (bkklib/network/fixtures/bangkok_districts.json) by
   ADM2_PCODE when present, else by the Thai name, else by the English name (spaces and case
   ignored, plus the known spellings in ALIASES); it stops with an error unless all 50 codes
   match exactly once;
3. drops repeated points, simplifies every ring with Douglas-Peucker (--tolerance, degrees),
   rounds coordinates to 5 decimals (about 1 m) and drops rings that collapse;
4. writes a FeatureCollection sorted by code, properties code, name_th, name_en.

Usage (no network access; fetch the source file first):

    curl -LO https://raw.githubusercontent.com/Sompobch/thailand-geojson-topojson/1f2aca6041f8726a8ae844ef45bdb3449ad9d78c/thailand_district.geojson
    python scripts/build_district_boundaries.py thailand_district.geojson
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "bkklib" / "network" / "fixtures"
DISTRICTS = FIXTURES / "bangkok_districts.json"
OUTPUT = FIXTURES / "bangkok_district_boundaries.geojson"

# Source English spelling -> ours (normalised: lower case, no spaces or hyphens).
ALIASES = {"vadhana": "watthana"}


def norm(name: str) -> str:
    key = "".join(ch for ch in name.lower() if ch.isalnum())
    return ALIASES.get(key, key)


def _perp_distance(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def douglas_peucker(points: list, tolerance: float) -> list:
    """Douglas-Peucker on an open polyline (iterative, keeps both ends)."""
    if len(points) < 3 or tolerance <= 0:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = -1.0, None
        for i in range(first + 1, last):
            d = _perp_distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_area(ring: list) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def simplify_ring(ring: list, tolerance: float) -> list | None:
    pts = []
    for x, y in ring:
        p = (x, y)
        if not pts or pts[-1] != p:
            pts.append(p)
    if pts[0] == pts[-1]:
        pts.pop()
    if len(pts) < 3:
        return None
    # Split the closed ring at its farthest point from the start so that both halves are open
    # polylines with fixed ends; simplify each half.
    far = max(range(len(pts)), key=lambda i: math.hypot(pts[i][0] - pts[0][0], pts[i][1] - pts[0][1]))
    half1 = douglas_peucker(pts[: far + 1], tolerance)
    half2 = douglas_peucker(pts[far:] + [pts[0]], tolerance)
    out = []
    for x, y in half1[:-1] + half2:
        p = [round(x, 5), round(y, 5)]
        if not out or out[-1] != p:
            out.append(p)
    if out[0] != out[-1]:
        out.append(out[0])
    if len(out) < 4 or abs(ring_area(out)) < 1e-9:
        return None
    return out


def polygons_of(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise SystemExit(f"unexpected geometry type {geometry['type']!r}")


def count_points(polygons: list) -> int:
    return sum(len(ring) for polygon in polygons for ring in polygon)


def build(source: dict, tolerance: float) -> tuple[dict, dict]:
    ours = json.loads(DISTRICTS.read_text(encoding="utf-8"))["districts"]
    by_code = {d["code"]: d for d in ours}
    by_th = {d["name_th"]: d["code"] for d in ours}
    by_en = {norm(d["name_en"]): d["code"] for d in ours}

    matched: dict[str, dict] = {}
    problems = []
    for feature in source["features"]:
        props = feature["properties"]
        if props.get("ADM1_EN") != "Bangkok" and props.get("ADM1_PCODE") != "TH10":
            continue
        pcode = str(props.get("ADM2_PCODE") or "")
        code = (
            (pcode[2:] if pcode.startswith("TH") and pcode[2:] in by_code else None)
            or by_th.get(props.get("ADM2_TH", ""))
            or by_en.get(norm(props.get("ADM2_EN", "")))
        )
        if code is None:
            problems.append(f"no district code for {props.get('ADM2_TH')!r} / {props.get('ADM2_EN')!r}")
        elif code in matched:
            problems.append(f"code {code} matched twice ({props.get('ADM2_EN')!r})")
        else:
            matched[code] = feature
    missing = sorted(set(by_code) - set(matched))
    if missing:
        problems.append(f"no boundary for {', '.join(missing)}")
    if problems:
        raise SystemExit("cannot build the district boundaries:\n  " + "\n  ".join(problems))

    features = []
    before = after = 0
    for code in sorted(matched):
        polygons = polygons_of(matched[code]["geometry"])
        before += count_points(polygons)
        out = []
        for polygon in polygons:
            rings = [simplify_ring(ring, tolerance) for ring in polygon]
            if rings[0] is None:
                continue
            out.append([rings[0]] + [r for r in rings[1:] if r is not None])
        if not out:
            raise SystemExit(f"district {code}: every polygon collapsed at tolerance {tolerance}")
        after += count_points(out)
        geometry = (
            {"type": "Polygon", "coordinates": out[0]} if len(out) == 1 else {"type": "MultiPolygon", "coordinates": out}
        )
        d = by_code[code]
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name_th": d["name_th"], "name_en": d["name_en"]},
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}, {"points_before": before, "points_after": after}


def dump(collection: dict) -> str:
    """One feature per line: small, and diffs stay readable."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="Thailand ADM2 GeoJSON with COD-AB properties")
    parser.add_argument("--tolerance", type=float, default=0.0001, help="Douglas-Peucker tolerance in degrees")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    source = json.loads(args.source.read_text(encoding="utf-8"))
    collection, stats = build(source, args.tolerance)
    text = dump(collection)
    args.output.write_text(text, encoding="utf-8")
    print(
        f"{len(collection['features'])} districts, {stats['points_before']} -> {stats['points_after']} points, "
        f"{len(text.encode())} bytes -> {args.output}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
