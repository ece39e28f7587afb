"""Maps of Bangkok's 50 districts, drawn on the server as SVG, from data shipped with the product.

The boundaries are ``fixtures/bangkok_district_boundaries.geojson`` (OCHA/HDX COD-AB Thailand,
Royal Thai Survey Department, CC BY-IGO 3.0; simplified; see ``fixtures/PROVENANCE.md`` and
``scripts/build_district_boundaries.py``). Nothing here calls an outside service and nothing
reads a setting.

- ``district_map_svg(values, title=..., legend_title=...)``: a choropleth of the 50 districts
  (one ``<path>`` each, with a ``<title>`` and an optional link), sites drawn as circles
  (``MapPoint``), a legend and the ``ATTRIBUTION`` line. Safe for ``{{ svg|safe }}``: every
  label is escaped and links other than relative, http and https ones are dropped. No ``style=``
  attribute (the CSP forbids them): colours are presentation attributes, and classes
  (``geo-map``, ``geo-district``, ``geo-class-N``, ``geo-nodata``, ``geo-point``) let a
  stylesheet restyle them. The caller shows the same figures in a table beside the map.
- ``district_of(lat, lon)``: the code of the district containing a point, or ``None``.
- ``natural_breaks(values, classes)``: the class breaks the choropleth uses.

Class breaks are Jenks natural breaks (Fisher's exact optimum: the grouping of the sorted values
that minimises the within-class sum of squares). With 50 districts it is instant, and unlike
quantiles it does not put equal values in two classes or split a tight group. Each class is
``(lower, upper]``, the first one closed at the minimum. Fewer distinct values than classes
give one class per distinct value. The palette is ColorBrewer YlGnBu (sequential,
colour-blind safe, readable in greyscale); districts without a value are grey with hatching
and named "no data" in the legend and their ``<title>``.

The projection is equirectangular with the longitudes scaled by cos(latitude) at the city's
middle: at Bangkok's size (about 60 by 50 km) the distortion is far below a pixel.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

BOUNDARIES_FILE = Path(__file__).resolve().parent / "fixtures" / "bangkok_district_boundaries.geojson"

ATTRIBUTION = (
    "District boundaries: Royal Thai Survey Department, via OCHA/HDX COD-AB Thailand (2019), "
    "CC BY-IGO 3.0; simplified by bkklib"
)
ATTRIBUTION_TH = (
    "ขอบเขตเขต: กรมแผนที่ทหาร ผ่าน OCHA/HDX COD-AB Thailand (2562) สัญญาอนุญาต CC BY-IGO 3.0 ปรับลดรายละเอียดโดย bkklib"
)

# ColorBrewer YlGnBu (Cynthia Brewer, colorbrewer2.org), light to dark, by number of classes.
PALETTES: dict[int, tuple[str, ...]] = {
    1: ("#41b6c4",),
    2: ("#a1dab4", "#225ea8"),
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
    7: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
}
MAX_CLASSES = max(PALETTES)
NO_DATA_FILL = "#e6e6e6"
NO_DATA_HATCH = "#8c8c8c"
STROKE = "#5f6b73"
POINT_FILL = "#d95f02"  # orange: stands out against every YlGnBu class
TEXT = "#1f2933"

WIDTH = 640  # SVG user units; the SVG scales to its container (viewBox, no fixed size)
PAD = 8
# Text sizes are in SVG units: on a 390 px phone the map is drawn at about 0.6 of them.
TITLE_SIZE, TITLE_LINE, TITLE_CHARS = 22, 28, 46
LEGEND_SIZE, LEGEND_ROW, LEGEND_CHARS = 18, 28, 26
LEGEND_X = 352  # the legend sits in the empty south-east corner (Samut Prakan), right of this
NOTE_SIZE, NOTE_LINE, NOTE_CHARS = 14, 18, 68

_LABELS = {
    "th": {"no_data": "ไม่มีข้อมูล", "attribution": ATTRIBUTION_TH},
    "en": {"no_data": "No data", "attribution": ATTRIBUTION},
}


@dataclass(frozen=True)
class District:
    code: str
    name_th: str
    name_en: str
    polygons: tuple  # of polygons; a polygon is a tuple of rings; a ring a tuple of (lon, lat)
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


@dataclass(frozen=True)
class MapPoint:
    """A site drawn as a circle: a tree-planting site, a library. ``size`` is the radius in px."""

    lat: float
    lon: float
    label: str
    url: str | None = None
    size: float = 4.0


def _bbox(points: Iterable[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


@lru_cache(maxsize=1)
def boundaries() -> dict[str, District]:
    """The 50 districts by code, read once from the shipped GeoJSON."""
    data = json.loads(BOUNDARIES_FILE.read_text(encoding="utf-8"))
    out = {}
    for feature in data["features"]:
        props, geometry = feature["properties"], feature["geometry"]
        raw = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        polygons = tuple(tuple(tuple((float(x), float(y)) for x, y in ring) for ring in polygon) for polygon in raw)
        out[props["code"]] = District(
            code=props["code"],
            name_th=props["name_th"],
            name_en=props["name_en"],
            polygons=polygons,
            bbox=_bbox(p for polygon in polygons for p in polygon[0]),
        )
    return out


@lru_cache(maxsize=1)
def city_bbox() -> tuple[float, float, float, float]:
    boxes = [d.bbox for d in boundaries().values()]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


# ----------------------------------------------------------------------------- point in polygon


def _in_ring(x: float, y: float, ring: Sequence[tuple[float, float]]) -> bool:
    inside = False
    x1, y1 = ring[-1]
    for x2, y2 in ring:
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
        x1, y1 = x2, y2
    return inside


def _in_polygon(x: float, y: float, polygon) -> bool:
    return _in_ring(x, y, polygon[0]) and not any(_in_ring(x, y, hole) for hole in polygon[1:])


def district_of(lat: float, lon: float) -> str | None:
    """The code of the district whose boundary contains (lat, lon), or None outside Bangkok.

    The boundaries are simplified (see PROVENANCE.md): within a few hundred metres of a district
    border the answer may be the neighbour. Use it to check or suggest, not to overrule a
    district a person entered.
    """
    try:
        x, y = float(lon), float(lat)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(x) and math.isfinite(y)):
        return None
    for district in boundaries().values():
        x0, y0, x1, y1 = district.bbox
        if x0 <= x <= x1 and y0 <= y <= y1 and any(_in_polygon(x, y, p) for p in district.polygons):
            return district.code
    return None


# ----------------------------------------------------------------------------- class breaks


def natural_breaks(values: Iterable[float], classes: int = 5) -> list[float]:
    """Jenks natural breaks: ``k + 1`` bounds from the minimum to the maximum.

    ``k`` is ``classes`` clamped to 1..7 and to the number of distinct values. An empty input
    gives ``[]``.
    """
    data = sorted(float(v) for v in values)
    if not data:
        return []
    distinct = sorted(set(data))
    k = max(1, min(int(classes), MAX_CLASSES, len(distinct)))
    if k == 1:
        return [data[0], data[-1]]
    if k == len(distinct):
        return [distinct[0], *distinct]
    n = len(data)
    # Fisher-Jenks dynamic programme on prefix sums: cost[j][i] = best SSD of data[:i] in j classes.
    s1 = [0.0] * (n + 1)
    s2 = [0.0] * (n + 1)
    for i, v in enumerate(data):
        s1[i + 1] = s1[i] + v
        s2[i + 1] = s2[i] + v * v

    def ssd(a: int, b: int) -> float:  # sum of squared deviations of data[a:b]
        m = b - a
        return s2[b] - s2[a] - (s1[b] - s1[a]) ** 2 / m

    inf = float("inf")
    cost = [[inf] * (n + 1) for _ in range(k + 1)]
    cut = [[0] * (n + 1) for _ in range(k + 1)]
    cost[0][0] = 0.0
    for j in range(1, k + 1):
        for i in range(j, n + 1):
            best, arg = inf, j - 1
            for m in range(j - 1, i):
                # a class may not start in the middle of a run of equal values
                if m > 0 and data[m] == data[m - 1]:
                    continue
                c = cost[j - 1][m] + ssd(m, i)
                if c < best:
                    best, arg = c, m
            cost[j][i], cut[j][i] = best, arg
    starts, i = [], n
    for j in range(k, 0, -1):
        i = cut[j][i]
        starts.append(i)
    starts.reverse()
    bounds = [data[0]] + [data[s - 1] for s in starts[1:]] + [data[-1]]
    return bounds


def class_of(value: float, bounds: Sequence[float]) -> int:
    """Index of the class ``(bounds[i], bounds[i + 1]]`` holding value (the first is closed)."""
    for i in range(1, len(bounds) - 1):
        if value <= bounds[i]:
            return i - 1
    return max(len(bounds) - 2, 0)


# ----------------------------------------------------------------------------- projection


@dataclass(frozen=True)
class _Projection:
    lon0: float
    lat0: float
    kx: float
    scale: float

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        """SVG coordinates inside the map group (origin at the map's top left)."""
        return (PAD + (lon - self.lon0) * self.kx * self.scale, (self.lat0 - lat) * self.scale)


@lru_cache(maxsize=1)
def _projection() -> tuple[_Projection, float]:
    """The projection and the height of the map area, for WIDTH."""
    x0, y0, x1, y1 = city_bbox()
    kx = math.cos(math.radians((y0 + y1) / 2))
    scale = (WIDTH - 2 * PAD) / ((x1 - x0) * kx)
    return _Projection(lon0=x0, lat0=y1, kx=kx, scale=scale), (y1 - y0) * scale


@lru_cache(maxsize=1)
def _legend_top() -> float:
    """The y (map coordinates) below every district east of LEGEND_X: where the legend starts."""
    project, _ = _projection()
    lowest = 0.0
    for district in boundaries().values():
        for polygon in district.polygons:
            for lon, lat in polygon[0]:
                x, y = project(lon, lat)
                if x >= LEGEND_X - PAD:
                    lowest = max(lowest, y)
    return lowest + 2 * PAD


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


@lru_cache(maxsize=1)
def _paths() -> dict[str, str]:
    """SVG path data of every district, computed once."""
    project, _ = _projection()
    out = {}
    for code, district in boundaries().items():
        parts = []
        for polygon in district.polygons:
            for ring in polygon:
                pts = [project(lon, lat) for lon, lat in ring]
                parts.append("M" + "L".join(f"{_fmt(x)} {_fmt(y)}" for x, y in pts[:-1]) + "Z")
        out[code] = "".join(parts)
    return out


# ----------------------------------------------------------------------------- rendering


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _safe_url(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(str(url))
    if parts.scheme not in ("", "http", "https"):
        return None
    return str(url)


def _with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}" if unit else text


def _wrap(text: str, width: int) -> list[str]:
    """Break text at spaces into lines of at most about ``width`` characters."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def district_map_svg(
    values: Mapping[str, float | int | None],
    *,
    title: str,
    legend_title: str,
    unit: str = "",
    classes: int = 5,
    links: Mapping[str, str] | None = None,
    points: Sequence[MapPoint] = (),
    points_label: str = "",
    lang: str = "th",
) -> str:
    """A choropleth of the 50 districts as an SVG string (see the module docstring).

    ``values`` maps district codes to a number or None (no data); codes it lacks are "no data";
    codes that are not Bangkok districts are ignored. ``links`` maps codes to URLs the districts
    link to. ``points`` are drawn on top, named ``points_label`` in the legend when given.
    """
    lang = "en" if str(lang).lower().startswith("en") else "th"  # get_language() may say "en-us"
    labels = _LABELS[lang]
    districts = boundaries()
    paths = _paths()
    project, map_height = _projection()
    links = links or {}

    clean: dict[str, float] = {}
    for code, value in values.items():
        if code in districts and value is not None:
            number = float(value)
            if math.isfinite(number):
                clean[code] = number
    bounds = natural_breaks(clean.values(), classes)
    nclasses = max(len(bounds) - 1, 0)
    palette = PALETTES.get(nclasses, ())
    members: dict[int, list[float]] = {}
    for value in clean.values():
        members.setdefault(class_of(value, bounds), []).append(value)

    key = hashlib.sha1(
        repr((title, legend_title, sorted(clean.items()), sorted(links.items()))).encode(), usedforsecurity=False
    ).hexdigest()[:8]
    hatch_id = f"geo-nodata-{key}"

    # Layout: title lines; the map with the legend in its empty south-east corner (running
    # below the map if it is long); the attribution lines.
    title_lines = _wrap(title, TITLE_CHARS)
    note_lines = _wrap(labels["attribution"], NOTE_CHARS)
    heading_lines = _wrap(_with_unit(legend_title, f"({unit})" if unit else ""), LEGEND_CHARS)
    has_no_data = len(clean) < len(districts)
    legend_rows = nclasses + (1 if has_no_data else 0) + (1 if points and points_label else 0)
    map_top = PAD + len(title_lines) * TITLE_LINE + PAD
    legend_top = map_top + _legend_top()
    legend_bottom = legend_top + (len(heading_lines) + legend_rows) * LEGEND_ROW
    note_top = max(map_top + map_height, legend_bottom) + 2 * PAD
    height = note_top + len(note_lines) * NOTE_LINE + PAD

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="geo-map" viewBox="0 0 {WIDTH} {_fmt(height)}" '
        # With links in it the map is a group of links, not one image (axe: nested-interactive).
        f'role="{"group" if links else "img"}" aria-label="{escape(title)}" '
        'font-family="Sarabun, Tahoma, sans-serif">',
        f"<title>{escape(title)}</title>",
        "<defs>",
        f'<pattern id="{hatch_id}" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{NO_DATA_FILL}"/>'
        f'<line x1="3" y1="0" x2="3" y2="6" stroke="{NO_DATA_HATCH}" stroke-width="1.5"/></pattern>',
        "</defs>",
        f'<text class="geo-title" font-size="{TITLE_SIZE}" font-weight="bold" fill="{TEXT}">',
    ]
    for n, line in enumerate(title_lines):
        out.append(f'<tspan x="{PAD}" y="{PAD + TITLE_SIZE + n * TITLE_LINE}">{escape(line)}</tspan>')
    out.append("</text>")

    out.append(f'<g class="geo-districts" transform="translate(0 {_fmt(map_top)})">')
    for code in sorted(districts):
        district = districts[code]
        name = district.name_th if lang == "th" else district.name_en
        if code in clean:
            index = class_of(clean[code], bounds)
            fill, css = palette[index], f"geo-district geo-class-{index + 1}"
            shown = _with_unit(_number(clean[code]), unit)
        else:
            fill, css = f"url(#{hatch_id})", "geo-district geo-nodata"
            shown = labels["no_data"]
        path = (
            f'<path class="{css}" data-code="{code}" d="{paths[code]}" fill="{fill}" '
            f'stroke="{STROKE}" stroke-width="0.7" stroke-linejoin="round">'
            f"<title>{escape(name)}: {escape(shown)}</title></path>"
        )
        url = _safe_url(links.get(code))
        out.append(f'<a href="{escape(url)}">{path}</a>' if url else path)
    for point in points:
        try:
            x, y = project(float(point.lon), float(point.lat))
            r = min(max(float(point.size), 1.5), 20.0)
        except (TypeError, ValueError):
            continue
        if not (math.isfinite(x) and math.isfinite(y) and math.isfinite(r)):
            continue
        circle = (
            f'<circle class="geo-point" cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(r)}" fill="{POINT_FILL}" '
            f'fill-opacity="0.85" stroke="#ffffff" stroke-width="1"><title>{escape(str(point.label))}</title></circle>'
        )
        url = _safe_url(point.url)
        out.append(f'<a href="{escape(url)}">{circle}</a>' if url else circle)
    out.append("</g>")

    # Legend: one row per class (the smallest and largest value in it), "no data", the points.
    out.append(
        f'<g class="geo-legend" transform="translate({LEGEND_X} {_fmt(legend_top)})" '
        f'font-size="{LEGEND_SIZE}" fill="{TEXT}">'
    )
    out.append('<text font-weight="bold">')
    for n, line in enumerate(heading_lines):
        out.append(f'<tspan x="0" y="{LEGEND_SIZE + n * LEGEND_ROW}">{escape(line)}</tspan>')
    out.append("</text>")
    first_row = len(heading_lines) - 1
    rows = []
    for i in range(nclasses):
        low, high = min(members[i]), max(members[i])
        rows.append(
            (
                f'class="geo-class-{i + 1}" fill="{palette[i]}"',
                _number(low) if low == high else f"{_number(low)} – {_number(high)}",
            )
        )
    if has_no_data:
        rows.append((f'class="geo-nodata" fill="url(#{hatch_id})"', labels["no_data"]))
    for n, (attrs, text) in enumerate(rows):
        y = LEGEND_ROW * (first_row + n + 1)
        out.append(
            f'<rect {attrs} x="0" y="{y}" width="28" height="20" stroke="{STROKE}" stroke-width="0.7"/>'
            f'<text x="38" y="{y + 16}">{escape(text)}</text>'
        )
    if points and points_label:
        y = LEGEND_ROW * (first_row + len(rows) + 1)
        out.append(
            f'<circle class="geo-point" cx="14" cy="{y + 10}" r="6" fill="{POINT_FILL}" '
            f'stroke="{STROKE}" stroke-width="0.7"/>'
            f'<text x="38" y="{y + 16}">{escape(points_label)}</text>'
        )
    out.append("</g>")

    out.append(f'<text class="geo-attribution" font-size="{NOTE_SIZE}" fill="#52606d">')
    for n, line in enumerate(note_lines):
        out.append(f'<tspan x="{PAD}" y="{_fmt(note_top + NOTE_SIZE + n * NOTE_LINE)}">{escape(line)}</tspan>')
    out.append("</text>")
    out.append("</svg>")
    return "".join(out)
