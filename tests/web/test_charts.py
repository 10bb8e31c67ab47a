"""Web layer: the server-drawn SVG charts are valid, self-contained, accessible, escaped and
place marks where the numbers say (no app needed)."""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from trophies.web.charts import (
    DECORATIVE,
    MAX_ROWS,
    Bar,
    Point,
    bins,
    distribution,
    fit,
    number,
    profile,
)

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<img src=x onerror=alert(1)>"


def parse(markup: Markup) -> ET.Element:
    assert isinstance(markup, Markup)
    return ET.fromstring(str(markup))  # noqa: S314 (our own output, parsed to be checked)


def tag(element: ET.Element) -> str:
    return element.tag.removeprefix(SVG)


def all_text(root: ET.Element) -> list[str]:
    return [t for e in root.iter() for t in [e.text] if t]


def marks(root: ET.Element) -> dict[str, float]:
    """The x of every dot or diamond, by its tooltip."""
    found = {}
    for element in root.iter():
        title = element.find(f"{SVG}title")
        if title is None or tag(element) not in ("circle", "path"):
            continue
        if tag(element) == "circle":
            found[title.text] = float(element.get("cx"))
        else:
            found[title.text] = float(re.match(r"M([-\d.]+) ", element.get("d")).group(1))
    return found


def dashed_lines(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter() if tag(e) == "path" and e.get("stroke-dasharray")]


def sample_points(n: int, seed: int = 1) -> list[Point]:
    rnd = random.Random(seed)
    points = []
    for i in range(n):
        score = round(rnd.uniform(0, 100), 2)
        points.append(Point(f"ES26-{i:04d} — Entreprise numéro {i} et associés", score,
                            max(0.0, score - 6), min(100.0, score + 6), highlight=i % 7 == 0))
    return points


def every_chart() -> list[Markup]:
    return [
        distribution(sample_points(12), title="Rows", description="d", id_prefix="rows",
                     cut=50, cut_label="Shortlist", highlight_label="Shortlisted",
                     interval_label="Interval"),
        distribution(sample_points(MAX_ROWS + 30), title="Bins", description="d",
                     id_prefix="bins", cut=71.5, highlight_label="Shortlisted"),
        distribution([], title="Empty", description="d", id_prefix="empty"),
        profile([Bar("Innovation", 72.5, 60.0), Bar("Impact", None, 40.0),
                 Bar("Team", 30.0, None)], title="Profile", description="d",
                id_prefix="profile", value_label="Your average",
                reference_label="Category average"),
    ]


@pytest.mark.parametrize("index", range(4))
def test_every_chart_is_a_labelled_image_that_scales(index):
    root = parse(every_chart()[index])
    assert tag(root) == "svg" and root.get("role") == "img"
    assert root.get("width") == "100%" and len(root.get("viewBox").split()) == 4
    ids = root.get("aria-labelledby").split()
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    assert [tag(by_id[i]) for i in ids] == ["title", "desc"]
    assert all(by_id[i] in list(root) for i in ids)  # the svg's own title and desc
    assert len(by_id) == len([e for e in root.iter() if e.get("id")])  # ids are unique


@pytest.mark.parametrize("index", range(4))
def test_no_chart_carries_styles_scripts_or_references(index):
    chart = every_chart()[index]
    markup, root = str(chart), parse(chart)
    for element in root.iter():
        assert tag(element) not in ("style", "script", "foreignObject", "a", "image", "use")
        for name in element.attrib:
            bare = name.split("}")[-1].lower()
            assert bare != "style" and not bare.startswith("on") and "href" not in bare
    assert "url(" not in markup and "javascript:" not in markup.lower()


def test_ids_come_from_the_prefix_so_two_charts_on_a_page_do_not_clash():
    first = parse(distribution(sample_points(3), title="a", description="b", id_prefix="c1"))
    second = parse(distribution(sample_points(3), title="a", description="b", id_prefix="c2"))
    assert first.get("aria-labelledby") == "c1-title c1-desc"
    assert second.get("aria-labelledby") == "c2-title c2-desc"
    with pytest.raises(ValueError):
        distribution([], title="a", description="b", id_prefix='x" onload="alert(1)')


def test_a_hostile_name_comes_out_as_text():
    markup = distribution([Point(HOSTILE, 50.0, highlight=True), Point("B", 40.0)],
                          title=HOSTILE, description=HOSTILE, id_prefix="h",
                          cut=45, cut_label=HOSTILE, highlight_label=HOSTILE)
    root = parse(markup)
    assert not [e for e in root.iter() if tag(e) == "img"]
    texts = all_text(root)
    assert HOSTILE in texts  # the chart's title and desc
    assert any(t.startswith(HOSTILE) for t in texts if t != HOSTILE)  # the dot's tooltip
    assert "<img" not in str(markup) and "&lt;img" in str(markup)
    bars = parse(profile([Bar(HOSTILE, 10.0, 20.0)], title="t", description="d",
                         id_prefix="p", value_label=HOSTILE, reference_label=HOSTILE))
    assert not [e for e in bars.iter() if tag(e) == "img"]
    assert HOSTILE in all_text(bars)


def test_characters_xml_cannot_carry_are_dropped_rather_than_breaking_the_page():
    root = parse(distribution([Point("Bad\x00\x07name\ufffe", 10.0)], title="t\x1b",
                              description="d", id_prefix="x"))
    assert "Badname" in all_text(root)


def test_dots_sit_proportionally_to_the_score_and_rows_go_by_score_descending():
    points = [Point("low", 0.0), Point("mid", 50.0), Point("top", 100.0), Point("twin", 50.0),
              Point("laureate", 75.0, highlight=True)]
    root = parse(distribution(points, title="t", description="d", id_prefix="x"))
    xs = {title.split(":")[0]: x for title, x in marks(root).items()}
    assert xs["top"] > xs["laureate"] > xs["mid"] > xs["low"]
    assert xs["mid"] == xs["twin"]
    assert xs["top"] - xs["mid"] == pytest.approx(xs["mid"] - xs["low"], abs=0.2)
    assert xs["laureate"] - xs["mid"] == pytest.approx((xs["top"] - xs["mid"]) / 2, abs=0.2)
    labels = [e.text for e in root.iter() if tag(e) == "text" and e.text in xs]
    assert labels == ["top", "laureate", "mid", "twin", "low"]


def test_a_highlighted_dossier_is_a_diamond_in_bold_not_only_another_colour():
    root = parse(distribution([Point("Laureate", 80.0, highlight=True), Point("Other", 60.0)],
                              title="t", description="d", id_prefix="x",
                              highlight_label="Laureate of the category"))
    shapes = {e.find(f"{SVG}title").text: tag(e) for e in root.iter()
              if e.find(f"{SVG}title") is not None and tag(e) in ("circle", "path")}
    assert shapes == {"Laureate: 80,0, Laureate of the category": "path",
                      "Other: 60,0": "circle"}
    bold = [e.text for e in root.iter() if e.get("font-weight") == "bold"]
    assert bold == ["Laureate"]
    assert "Laureate of the category" in all_text(root)  # the legend


def test_a_long_label_is_cut_with_an_ellipsis_and_given_in_full_in_the_tooltip():
    label = "ES26-0012 — Société coopérative d’intérêt collectif des énergies locales"
    root = parse(distribution([Point(label, 62.5)], title="t", description="d",
                              id_prefix="x"))
    shown = [t for t in all_text(root) if t.startswith("ES26-0012") and t != label]
    assert any(t.endswith("…") and len(t) < len(label) for t in shown)
    assert f"{label}: 62,5" in marks(root)
    assert fit("Short", 100, 14) == "Short"


def test_intervals_are_drawn_and_missing_ones_are_skipped():
    root = parse(distribution([Point("a", 50.0, 40.0, 60.0), Point("b", 30.0, None, None)],
                              title="t", description="d", id_prefix="x",
                              interval_label="Bootstrap interval"))
    assert "a: 50,0 [40,0–60,0]" in marks(root)
    assert "b: 30,0" in marks(root)
    assert "Bootstrap interval" in all_text(root)
    xs = {k.split(":")[0]: v for k, v in marks(root).items()}
    plot_start = min(xs.values())  # the legend's sample interval lies left of the plot
    interval = next(e for e in root.iter() if tag(e) == "path" and "H" in e.get("d", "")
                    and e.get("stroke-width") == "1.5" and not e.get("stroke-dasharray")
                    and float(re.match(r"M([\d.]+)", e.get("d")).group(1)) > plot_start)
    starts = [float(v) for v in re.findall(r"M([\d.]+) [\d.]+H", interval.get("d"))]
    ends = [float(v) for v in re.findall(r"H([\d.]+)", interval.get("d"))]
    assert len(starts) == 1 and starts[0] < xs["a"] < ends[0]
    assert xs["a"] - starts[0] == pytest.approx(ends[0] - xs["a"], abs=0.2)


def test_the_cut_line_is_drawn_with_its_label_only_when_given():
    points = [Point("a", 80.0), Point("b", 62.5), Point("c", 20.0)]
    without = parse(distribution(points, title="t", description="d", id_prefix="x"))
    assert dashed_lines(without) == []
    root = parse(distribution(points, title="t", description="d", id_prefix="x", cut=62.5,
                              cut_label="Shortlist score"))
    (line,) = dashed_lines(root)
    x = float(re.match(r"M([\d.]+) ", line.get("d")).group(1))
    assert x == marks(root)["b: 62,5"]
    assert "Shortlist score" in all_text(root)
    unlabelled = parse(distribution(points, title="t", description="d", id_prefix="x",
                                    cut=62.5))
    assert "62,5" in [e.text for e in unlabelled.iter()
                      if tag(e) == "text" and e.get("font-size") == "12"]


def test_numbers_use_one_decimal_and_the_given_separator():
    points = [Point("a", 62.25), Point("b", 62.35), Point("c", 7.0)]
    french = all_text(parse(distribution(points, title="t", description="d",
                                         id_prefix="x")))
    assert {"62,3", "62,4", "7,0"} <= set(french)
    english = all_text(parse(distribution(points, title="t", description="d", id_prefix="x",
                                          decimal_separator=".")))
    assert {"62.3", "62.4", "7.0"} <= set(english)
    assert not any("62,25" in t or "62.25" in t for t in french + english)
    assert number(99.95) == "100,0" and number(0.04, ".") == "0.0"


def test_up_to_forty_dossiers_get_rows_and_beyond_a_histogram_of_five_point_bins():
    rows = parse(distribution(sample_points(MAX_ROWS), title="t", description="d",
                              id_prefix="x"))
    assert len(marks(rows)) == MAX_ROWS
    points = sample_points(MAX_ROWS + 57, seed=3) + [Point("full", 100.0),
                                                    Point("edge", 64.96)]
    root = parse(distribution(points, title="t", description="d", id_prefix="x", cut=70))
    assert marks(root) == {}
    expected: dict[str, int] = {}
    for point in points:
        shown = round(point.score + 1e-9, 1)
        low = min(int(shown // 5) * 5, 95)
        expected[f"{low}–{low + 5}"] = expected.get(f"{low}–{low + 5}", 0) + 1
    drawn = {}
    for group in root.iter():
        if group.get("class") == "bin":
            span, count = re.match(r"(\d+–\d+): (\d+) dossiers?",
                                   group.find(f"{SVG}title").text).groups()
            drawn[span] = int(count)
    assert drawn == expected
    assert sum(drawn.values()) == len(points)
    counts_printed = sorted(int(t) for e in root.iter() if tag(e) == "g"
                            and e.get("text-anchor") == "middle" and e.get("fill") == "#222222"
                            for t in all_text(e))
    assert counts_printed == sorted(expected.values())
    assert len(dashed_lines(root)) == 1


def test_bins_hold_the_displayed_score_and_a_hundred_goes_in_the_last_one():
    counts = bins([Point("a", 100.0), Point("b", 64.96), Point("c", 0.0),
                   Point("d", 95.0, highlight=True)])
    assert counts[19] == (2, 1) and counts[13] == (1, 0) and counts[0] == (1, 0)
    assert sum(n for n, _h in counts) == 4


def test_highlighted_dossiers_show_in_the_histogram_as_an_outlined_part():
    points = [Point(f"p{i}", 52.0, highlight=i < 3) for i in range(MAX_ROWS + 1)]
    root = parse(distribution(points, title="t", description="d", id_prefix="x",
                              highlight_label="Shortlisted"))
    (group,) = [g for g in root.iter() if g.get("class") == "bin"]
    assert group.find(f"{SVG}title").text == "50–55: 41 dossiers — Shortlisted: 3"
    rects = group.findall(f"{SVG}rect")
    assert len(rects) == 2 and rects[1].get("fill") == "#ffffff" and rects[1].get("stroke")


def test_a_profile_draws_bars_to_the_value_the_average_as_a_marker_and_n_a_for_none():
    root = parse(profile([Bar("Innovation", 100.0, 50.0), Bar("Impact", 50.0, 50.0),
                          Bar("Viability", None, 25.0), Bar("Team", 0.0, None)],
                         title="t", description="d", id_prefix="x",
                         value_label="This dossier", reference_label="Category average"))
    bars = {e.find(f"{SVG}title").text: float(e.get("width")) for e in root.iter()
            if tag(e) == "rect" and e.find(f"{SVG}title") is not None}
    assert bars["This dossier: 100,0"] == pytest.approx(2 * bars["This dossier: 50,0"], abs=0.2)
    assert bars["This dossier: 0,0"] == 0
    assert len(bars) == 3  # nothing drawn for the criterion not marked
    texts = all_text(root)
    assert "n/a" in texts and {"100,0", "50,0", "0,0"} <= set(texts)
    assert {"This dossier", "Category average"} <= set(texts)  # the legend
    markers = [g for g in root.iter() if tag(g) == "g" and g.find(f"{SVG}title") is not None
               and g.find(f"{SVG}title").text.startswith("Category average")]
    assert [g.find(f"{SVG}title").text for g in markers] == [
        "Category average: 50,0", "Category average: 50,0", "Category average: 25,0"]
    x_of = [float(re.match(r"M([\d.]+) ", g.find(f"{SVG}path").get("d")).group(1))
            for g in markers]
    assert x_of[0] == x_of[1] > x_of[2]
    track_start = min(float(e.get("x")) for e in root.iter() if tag(e) == "rect"
                      and e.get("stroke") and e.get("fill") == "none")
    assert x_of[0] - track_start == pytest.approx(bars["This dossier: 50,0"], abs=0.2)


def test_non_finite_numbers_are_refused():
    with pytest.raises(ValueError):
        distribution([Point("a", float("nan"))], title="t", description="d", id_prefix="x")
    with pytest.raises(ValueError):
        profile([Bar("a", float("inf"))], title="t", description="d", id_prefix="x",
                value_label="v", reference_label="r")


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(colour: str) -> float:
    return 1.05 / (_luminance(colour) + 0.05)


@pytest.mark.parametrize("index", range(4))
def test_marks_and_text_contrast_with_white(index):
    root = parse(every_chart()[index])
    assert contrast_with_white("#767676") >= 4.5 > contrast_with_white("#777777")  # the checker

    def inherited_fill(element, parents):
        chain = [element, *reversed(parents)]
        return next((e.get("fill") for e in chain if e.get("fill")), "#000000")

    def walk(element, parents):
        for name in ("fill", "stroke"):
            colour = element.get(name)
            if colour and colour not in DECORATIVE:
                assert contrast_with_white(colour) >= 3, (tag(element), colour)
        if tag(element) == "text":
            assert contrast_with_white(inherited_fill(element, parents)) >= 4.5
        for child in element:
            walk(child, [*parents, element])

    walk(root, [])


def test_forty_rows_with_long_labels_and_intervals_stay_small():
    markup = distribution(sample_points(MAX_ROWS), title="Score distribution", id_prefix="x",
                          description="Forty dossiers.", cut=55.0, cut_label="Shortlist",
                          highlight_label="Shortlisted", interval_label="Interval")
    assert len(str(markup).encode()) < 15_000
    assert not re.search(r"\d\.\d\d", str(markup))  # coordinates rounded to one decimal


def test_the_same_data_give_the_same_bytes_whatever_their_order():
    points = sample_points(25)
    first = distribution(points, title="t", description="d", id_prefix="x", cut=40)
    shuffled = points[:]
    random.Random(9).shuffle(shuffled)
    assert distribution(shuffled, title="t", description="d", id_prefix="x", cut=40) == first
    many = sample_points(90)
    assert distribution(many, title="t", description="d", id_prefix="x") == distribution(
        list(reversed(many)), title="t", description="d", id_prefix="x")
