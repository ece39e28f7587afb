"""District boundaries shipped with the product, point in district, and the SVG choropleth (network/geo.py)."""

import hashlib
import importlib.util
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bkklib.network import geo
from bkklib.network.models import District

FIXTURES = Path(geo.__file__).resolve().parent / "fixtures"
SVG = "{http://www.w3.org/2000/svg}"
OUR_DISTRICTS = json.loads((FIXTURES / "bangkok_districts.json").read_text(encoding="utf-8"))["districts"]
CODES = sorted(d["code"] for d in OUR_DISTRICTS)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def attribution(root: ET.Element) -> str:
    """The attribution line as printed (its lines joined by spaces)."""
    return " ".join(t.text for t in root.find(f".//{SVG}text[@class='geo-attribution']"))


def district_paths(root: ET.Element) -> dict[str, ET.Element]:
    return {p.get("data-code"): p for p in root.iter(f"{SVG}path") if "geo-district" in p.get("class", "")}


# ----------------------------------------------------------------------------- the data


def test_all_50_districts_have_a_valid_boundary():
    districts = geo.boundaries()
    assert sorted(districts) == CODES and len(CODES) == 50
    names = {d["code"]: d["name_th"] for d in OUR_DISTRICTS}
    for code, district in districts.items():
        assert district.name_th == names[code]
        assert district.polygons
        for polygon in district.polygons:
            for ring in polygon:
                assert len(ring) >= 4 and ring[0] == ring[-1], code
                assert abs(geo._bbox(ring)[2] - geo._bbox(ring)[0]) > 0
                for lon, lat in ring:
                    assert 100.3 < lon < 101.0 and 13.45 < lat < 14.0, (code, lon, lat)
            outer = polygon[0]
            area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(outer, outer[1:], strict=False)) / 2
            assert abs(area) > 1e-5, code  # > ~0.1 km²: no collapsed sliver


@pytest.mark.django_db
def test_boundaries_match_the_district_table():
    assert sorted(District.objects.values_list("code", flat=True)) == sorted(geo.boundaries())


def test_the_file_is_small_and_has_a_provenance_entry():
    data = FIXTURES / "bangkok_district_boundaries.geojson"
    assert data.stat().st_size <= 300_000
    provenance = (FIXTURES / "PROVENANCE.md").read_text(encoding="utf-8")
    section = provenance.split("## bangkok_district_boundaries.geojson", 1)[1]
    for needed in ("Licence", "CC BY-IGO", "https://data.humdata.org/", "What we changed", "Attribution"):
        assert needed in section
    # The recorded checksum is the shipped file's: rebuilding means updating the provenance.
    assert hashlib.sha256(data.read_bytes()).hexdigest() in section
    assert geo.ATTRIBUTION in section


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [
        (13.7563, 100.5018, "1001"),  # Bangkok City Library, Ratchadamnoen: Phra Nakhon
        (13.7299, 100.7782, "1011"),  # KMITL, on the Suvarnabhumi side: Lat Krabang
        (13.7999, 100.5502, "1030"),  # Chatuchak weekend market
        (13.7307, 100.5418, "1007"),  # Lumphini Park: Pathum Wan
        (13.9126, 100.6068, "1036"),  # Don Mueang airport
        (13.7437, 100.4889, "1016"),  # Wat Arun: Bangkok Yai, across the river from Phra Nakhon
        (13.8556, 100.8617, "1003"),  # Nong Chok district office
    ],
)
def test_a_known_point_falls_in_its_district(lat, lon, code):
    assert geo.district_of(lat, lon) == code


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(13.6900, 100.7501), (13.5407, 100.6226), (12.93, 100.88), (float("nan"), 100.5), ("x", 100.5)],
)
def test_a_point_outside_bangkok_has_no_district(lat, lon):
    # Suvarnabhumi airport and the Ancient City are in Samut Prakan; Pattaya is far away.
    assert geo.district_of(lat, lon) is None


# ----------------------------------------------------------------------------- the build script


def _script():
    path = Path(geo.__file__).resolve().parents[2] / "scripts" / "build_district_boundaries.py"
    spec = importlib.util.spec_from_file_location("build_district_boundaries", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _codab_source(drop: str | None = None) -> dict:
    """Our shipped districts dressed as a COD-AB ADM2 file (plus one district of another province)."""
    features = []
    for district in geo.boundaries().values():
        if district.code == drop:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"ADM1_EN": "Bangkok", "ADM2_TH": district.name_th, "ADM2_EN": district.name_en},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[list(map(list, r)) for r in p] for p in district.polygons],
                },
            }
        )
    features[7]["properties"]["ADM2_TH"] = "ชื่อที่ตัดท้าย"  # matched by its English name instead
    features.append(
        {"type": "Feature", "properties": {"ADM1_EN": "Nonthaburi", "ADM2_TH": "x", "ADM2_EN": "y"}, "geometry": None}
    )
    return {"type": "FeatureCollection", "features": features}


def test_the_build_script_matches_all_50_and_fails_loudly_otherwise():
    script = _script()
    collection, stats = script.build(_codab_source(), 0.0001)
    assert [f["properties"]["code"] for f in collection["features"]] == CODES
    assert stats["points_after"] <= stats["points_before"]
    with pytest.raises(SystemExit, match="no boundary for 1007"):
        script.build(_codab_source(drop="1007"), 0.0001)


def test_douglas_peucker_keeps_the_ends_and_drops_what_is_within_tolerance():
    script = _script()
    line = [(0, 0), (1, 0.00001), (2, 0), (3, 1), (4, 0)]
    assert script.douglas_peucker(line, 0.001) == [(0, 0), (2, 0), (3, 1), (4, 0)]


# ----------------------------------------------------------------------------- class breaks


def test_natural_breaks_find_the_obvious_groups():
    assert geo.natural_breaks([1, 2, 3, 10, 11, 12, 30, 31], 3) == [1, 3, 12, 31]
    assert geo.natural_breaks([], 5) == []
    assert geo.natural_breaks([4, 4, 4], 5) == [4, 4]
    assert geo.natural_breaks([1, 2], 5) == [1, 1, 2]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=-1000, max_value=100_000), min_size=1, max_size=50), st.integers(1, 9))
def test_breaks_cover_the_values_and_keep_their_order(values, classes):
    bounds = geo.natural_breaks(values, classes)
    k = len(bounds) - 1
    assert bounds[0] == min(values) and bounds[-1] == max(values)
    assert 1 <= k <= min(classes, geo.MAX_CLASSES, len(set(values))) or k == 1
    assert bounds == sorted(bounds)
    ordered = sorted(values)
    found = [geo.class_of(v, bounds) for v in ordered]
    assert all(0 <= c < k for c in found)
    assert found == sorted(found)  # a larger value never lands in a lower class
    assert len(set(found)) == k  # no empty class
    for a, b in zip(ordered, ordered[1:], strict=False):
        if a == b:
            assert geo.class_of(a, bounds) == geo.class_of(b, bounds)


# ----------------------------------------------------------------------------- the SVG


def _values():
    values = {code: (i * 37) % 500 for i, code in enumerate(CODES)}
    values["1001"] = None  # explicit no data
    del values["1050"]  # missing: no data too
    values["9999"] = 5  # not a district: ignored
    return values


def test_the_map_is_valid_svg_with_50_titled_districts():
    svg = geo.district_map_svg(_values(), title="ผู้ใช้บริการต่อเขต", legend_title="จำนวน", unit="คน")
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("aria-label") == "ผู้ใช้บริการต่อเขต"
    assert root.get("viewBox") and not root.get("width")  # scales to its container
    paths = district_paths(root)
    assert sorted(paths) == CODES
    phra_khanong = paths["1009"]
    assert phra_khanong.find(f"{SVG}title").text == f"พระโขนง: {(8 * 37) % 500} คน"
    assert attribution(root) == geo.ATTRIBUTION_TH


def test_no_data_districts_are_in_the_no_data_class():
    root = parse(geo.district_map_svg(_values(), title="t", legend_title="l"))
    paths = district_paths(root)
    for code in ("1001", "1050"):
        assert "geo-nodata" in paths[code].get("class")
        assert paths[code].get("fill").startswith("url(#geo-nodata-")
        assert paths[code].find(f"{SVG}title").text.endswith("ไม่มีข้อมูล")
    assert all("geo-nodata" not in p.get("class") for code, p in paths.items() if code not in ("1001", "1050"))
    legend = root.find(f".//{SVG}g[@class='geo-legend']")
    assert any("ไม่มีข้อมูล" == t.text for t in legend.iter(f"{SVG}text"))
    # The hatching the no-data districts point at exists.
    pattern_id = paths["1001"].get("fill")[5:-1]
    assert root.find(f".//{SVG}pattern[@id='{pattern_id}']") is not None


def test_the_legend_ranges_cover_every_value_in_its_class():
    values = _values()
    root = parse(geo.district_map_svg(values, title="t", legend_title="l", classes=5))
    legend = root.find(f".//{SVG}g[@class='geo-legend']")
    children = list(legend)
    ranges, fills = {}, {}
    for rect, text in zip(children, children[1:], strict=False):
        klass = rect.get("class", "")
        if rect.tag == f"{SVG}rect" and klass.startswith("geo-class-"):
            numbers = [float(n.replace(",", "")) for n in re.findall(r"-?[\d,]+(?:\.\d+)?", text.text)]
            ranges[klass] = (numbers[0], numbers[-1])
            fills[klass] = rect.get("fill")
    assert len(ranges) == 5
    for code, path in district_paths(root).items():
        value = values.get(code)
        if value is None:
            continue
        klass = next(c for c in path.get("class").split() if c.startswith("geo-class-"))
        low, high = ranges[klass]
        assert low <= value <= high, (code, value, klass)
        assert path.get("fill") == fills[klass]
    assert len(set(fills.values())) == 5


def test_labels_are_escaped_and_bad_links_dropped():
    nasty = 'A <script>alert("x")</script> & <b>'
    svg = geo.district_map_svg(
        {"1001": 3},
        title=nasty,
        legend_title="<&>",
        unit="<u>",
        links={"1001": "/network/districts/1001/?a=1&b=<2>", "1002": "javascript:alert(1)"},
        points=[
            geo.MapPoint(13.7563, 100.5018, nasty, url="/site/1"),
            geo.MapPoint(13.73, 100.78, "x", url="data:text/html,hi"),
        ],
        points_label="<&>",
    )
    assert "<script" not in svg and "<b>" not in svg and "javascript:" not in svg and "data:text" not in svg
    assert " style=" not in svg and not re.search(r"\son\w+=", svg)
    root = parse(svg)
    assert root.get("aria-label") == nasty
    assert "".join(root.find(f"{SVG}text[@class='geo-title']").itertext()) == nasty.replace("  ", " ")
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert links == ["/network/districts/1001/?a=1&b=<2>", "/site/1"]
    circles = [c for c in root.iter(f"{SVG}circle") if c.find(f"{SVG}title") is not None]
    assert [c.find(f"{SVG}title").text for c in circles] == [nasty, "x"]


def test_points_are_drawn_where_they_are():
    library = geo.MapPoint(13.7563, 100.5018, "หอสมุดเมืองกรุงเทพมหานคร", size=6)
    root = parse(geo.district_map_svg({}, title="t", legend_title="l", points=[library], points_label="ห้องสมุด"))
    circle = next(c for c in root.iter(f"{SVG}circle") if c.find(f"{SVG}title") is not None)
    project, _ = geo._projection()
    x, y = project(library.lon, library.lat)
    assert abs(float(circle.get("cx")) - x) < 0.1 and abs(float(circle.get("cy")) - y) < 0.1
    assert circle.get("r") == "6"
    # With no values at all, every district is "no data" and the legend has no class rows.
    assert all("geo-nodata" in p.get("class") for p in district_paths(root).values())
    assert root.find(f".//{SVG}rect[@class='geo-class-1']") is None


def test_english_names_and_labels_when_asked():
    root = parse(geo.district_map_svg({"1001": 1.5}, title="t", legend_title="l", lang="en-us"))
    paths = district_paths(root)
    assert paths["1001"].find(f"{SVG}title").text == "Phra Nakhon: 1.5"
    assert paths["1002"].find(f"{SVG}title").text == "Dusit: No data"
    assert attribution(root) == geo.ATTRIBUTION
