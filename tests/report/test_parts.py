"""The report's parts on their own: slugs, escaping, highlighting, polygons, camps."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from blocwatch.errors import BlocwatchError
from blocwatch.nlp.state_aliases import tracked_states
from blocwatch.report import worldmap
from blocwatch.report.camps import action_category, side_on_target, state_name, voice_camp
from blocwatch.report.highlight import segments
from blocwatch.report.queries import as_list, parse_sources
from blocwatch.report.safe import hover_sentence, plot_text, script_json, slugify, web_url
from blocwatch.report.worldmap import (
    EMPTY_TOPOLOGY,
    GEO_SHIM_JS,
    MapLayer,
    MapOption,
    _clean_ring,
    _signed_area,
    map_figure,
    world,
    world_geojson,
    world_js,
)


@pytest.mark.parametrize(
    ("key", "pattern"),
    [
        ("2019-07-12-UNHRC-support-CHN-letter", "2019-07-12-unhrc-support-chn-letter-"),
        ("../../etc/passwd", "etc-passwd-"),
        ("<script>", "script-"),
        ("", ""),
        ("…", ""),
    ],
)
def test_slugify_keeps_safe_characters_and_adds_a_hash(key: str, pattern: str) -> None:
    slug = slugify(key)
    assert slug.startswith(pattern)
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    assert len(slug) <= 60 + 1 + 8


def test_slugify_tells_keys_apart_that_differ_only_in_dropped_characters() -> None:
    assert slugify("a/b") != slugify("a-b") != slugify("a b")
    assert slugify("A") != slugify("a")
    assert slugify("x" * 200) != slugify("x" * 201)


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.org/a?b=1", True),
        ("HTTP://example.org", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//example.org/x", False),
        ("http://[broken", False),
        ("file:///etc/passwd", False),
        ("", False),
        (None, False),
    ],
)
def test_only_web_urls_become_links(url: str | None, linked: bool) -> None:
    assert (web_url(url) is not None) is linked


def test_script_json_cannot_end_a_script_element() -> None:
    text = json.dumps({"a": "</script><!-- & \u2028"}, ensure_ascii=False)
    safe = script_json(text)
    assert "<" not in safe and ">" not in safe and "&" not in safe and "\u2028" not in safe
    assert json.loads(safe) == json.loads(text)


def test_plot_labels_are_escaped_and_wrapped() -> None:
    assert plot_text("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    sentence = hover_sentence("word " * 60 + "<script>")
    assert "<script>" not in sentence
    assert sentence.count("<br>") >= 2 and sentence.endswith("…")


def test_segments_cut_overlapping_spans_and_keep_the_text() -> None:
    text = "Ambassadors of 37 states signed. Then more."
    spans = [
        ("report", {"id": "d:r0", "start": 0, "end": 32, "label": "letter"}),
        ("evidence", {"id": "d:r0", "start": 15, "end": 24, "label": "count"}),
        ("state", {"id": "d:r0", "start": 18, "end": 24, "label": "X"}),
        ("quote", {"id": "d:q0", "start": 100, "end": 120, "label": "outside the text"}),
        ("frame", {"id": "d:f0", "start": 5, "end": 5, "label": "empty"}),
    ]
    pieces = segments(text, spans)
    assert "".join(p.text for p in pieces) == text
    assert [p.text for p in pieces] == [
        "Ambassadors of ",
        "37 ",
        "states",
        " signed.",
        " Then more.",
    ]
    assert pieces[0].kinds == ("report",) and pieces[0].anchors == ("r-" + slugify("d:r0"),)
    assert pieces[2].kinds == ("report", "state", "evidence")
    assert pieces[4].kinds == () and pieces[4].anchors == ()


def test_rings_are_wound_for_d3() -> None:
    counter_clockwise = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    exterior = _clean_ring(counter_clockwise, exterior=True)
    hole = _clean_ring(counter_clockwise, exterior=False)
    assert exterior is not None and hole is not None
    assert _signed_area(exterior[:-1]) < 0 < _signed_area(hole[:-1])
    assert exterior[0] == exterior[-1]
    assert _clean_ring([[0, 0], [1, 1], [0, 0]], exterior=True) is None


def test_world_polygons_are_offline_and_wound() -> None:
    geojson = world_geojson()
    ids = [f["id"] for f in geojson["features"]]
    assert len(ids) > 200 and ids == sorted(ids)
    assert {"CHN", "USA", "BRA", "HUN", "SRB", "MNE", "MMR", "JAM"} <= set(ids)
    # Natural Earth has no ISO_A3 for these: ADM0_A3, with Kosovo under blocwatch's code.
    assert {"FRA", "NOR", "XKX"} <= set(ids) and not {"-99", "KOS", "ATA"} & set(ids)
    for feature in geojson["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            assert _signed_area(polygon[0][:-1]) < 0, feature["id"]
            for hole in polygon[1:]:
                assert _signed_area(hole[:-1]) > 0, feature["id"]
    assert world_js().startswith("window.BLOCWATCH_WORLD = {")
    assert json.loads(world_js().split(" = ", 1)[1].rstrip(";\n")) == geojson


def test_every_tracked_state_is_drawn_and_small_ones_get_a_point() -> None:
    data = world()
    assert tracked_states() <= data.ids | data.points.keys()
    # The Vatican vanishes when simplified; Singapore is a pixel; France is large.
    assert "VAT" not in data.ids and {"VAT", "SGP", "TUV"} <= data.points.keys()
    assert "FRA" not in data.points
    lon, lat = data.points["VAT"]
    assert 12.4 <= lon <= 12.5 and 41.8 <= lat <= 42.0


def test_small_states_become_markers_and_unknown_codes_are_not_drawn() -> None:
    layer = MapLayer("with", "signed", "#0072B2", ["FRA", "SGP", "ZZZ"], ["f", "s", "z"])
    option = MapOption("one action", [layer])
    assert option.not_drawn() == ["ZZZ"]
    data = map_figure([option], 300).to_plotly_json()["data"]
    assert [t["type"] for t in data] == ["choropleth", "choropleth", "scattergeo"]
    markers = data[2]
    assert list(markers["text"]) == ["s"] and markers["legendgroup"] == "with"
    assert (markers["lon"][0], markers["lat"][0]) == world().points["SGP"]
    assert markers["marker"]["color"] == "#0072B2" and markers["showlegend"] is False


def _zip_with(members: dict[str, bytes]) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return zipfile.ZipFile(buffer)


def test_shapefile_members_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worldmap, "MAX_MEMBER_BYTES", 10)
    archive = _zip_with(
        {f"{worldmap.NE_STEM}.shp": b"x" * 10, f"{worldmap.NE_STEM}.dbf": b"x" * 11}
    )
    assert worldmap._member(archive, "shp").read() == b"x" * 10
    with pytest.raises(BlocwatchError, match="larger than 10 bytes"):
        worldmap._member(archive, "dbf")
    with pytest.raises(BlocwatchError, match="shx is missing"):
        worldmap._member(archive, "shx")


def test_geo_shim_answers_every_topojson_name() -> None:
    assert json.dumps(EMPTY_TOPOLOGY, separators=(",", ":")) in GEO_SHIM_JS
    assert "new Proxy" in GEO_SHIM_JS and "http" not in GEO_SHIM_JS


@pytest.mark.parametrize(
    ("stance", "position", "side"),
    [
        ("support", "signed", "supports"),
        ("criticize", "lead", "criticizes"),
        ("criticize", "voted_against", "supports"),
        ("support", "voted_against", "criticizes"),
        ("criticize", "abstained", None),
        ("support", "withdrew", None),
        (None, "signed", None),
    ],
)
def test_side_on_target(stance: str | None, position: str, side: str | None) -> None:
    assert side_on_target(stance, position) == side


def test_action_category_prefers_what_matters() -> None:
    assert action_category(["signed"]) == "with"
    assert action_category(["lead", "signed"]) == "lead"
    assert action_category(["signed", "withdrew"]) == "withdrew"
    assert action_category(["voted_for", "voted_against"]) == "conflict"
    assert action_category(["abstained"]) == "abstained"


def test_state_names_and_voice_camps() -> None:
    assert state_name("CHN") == "China" and state_name("XKX") == "Kosovo"
    assert state_name("ZZZ") == "ZZZ" and state_name(None) == ""
    assert voice_camp("UN", ["CHN"], {}) == "organisation"
    assert voice_camp(None, ["CHN"], {}) == "no state"
    assert voice_camp("CHN", ["CHN"], {}) == "target"
    assert voice_camp("FRA", ["CHN"], {}) == "not in a camp"


def test_json_columns_are_read_leniently() -> None:
    assert as_list('["a","b"]') == ["a", "b"] and as_list("a, b") == ["a", "b"]
    assert as_list(None) == [] and as_list("[broken") == ["[broken"]
    good = {"report_id": "r", "doc_id": "d", "outlet": None, "published": "2019", "value": 37}
    sources = parse_sources(json.dumps([good, {"x": 1}, 5]), "test")
    assert len(sources) == 1 and sources[0].value == "37" and sources[0].outlet == ""
    assert parse_sources("{not json", "test") == () and parse_sources('{"a": 1}', "test") == ()
