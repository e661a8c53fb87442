"""The architecture pictures as Graphviz lays them out: every box and arrow drawn, no two texts overlapping, names
broken only between words, the same colour for a kind of stack in every report."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree

import pytest

from compliance.report.architecture import read_diagram
from compliance.report.cloud_assembly import read_stacks
from compliance.report.diagram import Diagram
from compliance.report.diagram_dot import ENCRYPTED_BY, dot_source, lines, node_name, stack_colours
from compliance.report.graphviz import layout, run_graphviz
from tests.support.svg_text import SVG, crossed_texts, curve_points, overlapping, text_boxes, text_width
from tests.support.synth import Synth

CASES = {"default": "us-east-1", "every-option": "eu-west-1", "teams": "eu-central-2"}


@pytest.fixture(scope="module")
def diagrams(default_synth: Synth, every_option_synth: Synth, teams_synth: Synth) -> dict[str, Diagram]:
    synths = {"default": default_synth, "every-option": every_option_synth, "teams": teams_synth}
    return {case: read_diagram(read_stacks(synth.outdir)) for case, synth in synths.items()}


@pytest.fixture(scope="module")
def pictures(diagrams: dict[str, Diagram]) -> dict[str, str]:
    """Each case's picture, laid out by Graphviz in one run."""
    return layout({case: dot_source(diagrams[case], region) for case, region in CASES.items()})


def _groups(svg: str, kind: str) -> list[ElementTree.Element]:
    return [g for g in ElementTree.fromstring(svg).iter(f"{SVG}g") if g.attrib.get("class") == kind]


def _title(group: ElementTree.Element) -> str:
    return "".join(group.find(f"{SVG}title").itertext())  # type: ignore[union-attr]


def test_every_box_and_arrow_is_drawn(diagrams: dict[str, Diagram], pictures: dict[str, str]) -> None:
    """A box per resource or outside party; an arrow per reference, except those only saying which key encrypts a
    resource (the box says it)."""
    diagram = diagrams["default"]
    boxes = {_title(g) for g in _groups(pictures["default"], "node")}
    assert boxes == {node_name(n) for n in diagram.nodes.values()}
    drawn = [e for e in diagram.edges if e.label != ENCRYPTED_BY]
    assert len(_groups(pictures["default"], "edge")) == len(drawn) > 30
    text = "".join(ElementTree.fromstring(pictures["default"]).itertext())
    assert "S3 bucket, encrypted by" in text and "InvocationLogKey" in text
    # Ids are the picture's own: several pictures on one page do not share any.
    ids = re.findall(r' id="([^"]+)"', "".join(pictures.values()))
    assert len(ids) == len(set(ids)) and all(i.startswith(tuple(CASES)) for i in ids)


@pytest.mark.parametrize("case", CASES)
def test_no_two_texts_overlap_and_no_arrow_runs_through_a_text(pictures: dict[str, str], case: str) -> None:
    assert len(text_boxes(pictures[case])) > 40
    assert overlapping(pictures[case]) == []
    assert crossed_texts(pictures[case]) == []


def test_the_overlap_check_sees_two_labels_on_top_of_each_other(pictures: dict[str, str]) -> None:
    """Move one arrow's label onto a box's name: the check reports the pair."""
    svg = pictures["default"]
    name = re.search(r'<text [^>]*x="([-\d.]+)" y="([-\d.]+)"[^>]*font-weight="bold"[^>]*>InvokerRole</text>', svg)
    assert name is not None
    moved = re.sub(
        r'(<text [^>]*)x="[-\d.]+" y="[-\d.]+"([^>]*>assumes</text>)',
        rf'\1x="{name.group(1)}" y="{name.group(2)}"\2',
        svg,
        count=1,
    )
    assert moved != svg
    assert ("InvokerRole", "assumes") in overlapping(moved) or ("assumes", "InvokerRole") in overlapping(moved)


def test_the_crossing_check_sees_an_arrow_through_a_text(pictures: dict[str, str]) -> None:
    """Write a box's name across the middle of an arrow: the check reports the arrow and the text."""
    svg = pictures["default"]
    path = re.search(r'<g id="[^"]*" class="edge">\s*<title>([^<]*)</title>\s*<path [^>]*d="([^"]+)"', svg)
    assert path is not None
    x, y = curve_points(path.group(2))[len(curve_points(path.group(2))) // 2]
    text = f'<text text-anchor="middle" x="{x}" y="{y + 3}" font-size="11.00">PlacedHere</text></svg>'
    crossed = crossed_texts(svg.replace("</svg>", text))
    assert [t for _, t in crossed] == ["PlacedHere"]


def test_the_text_estimate_is_the_one_graphviz_lays_out_with(diagrams: dict[str, Diagram]) -> None:
    """The widths the overlap check uses agree with Graphviz's own measure of every text (its JSON output), so a box
    the check computes is the box Graphviz kept free."""
    (laid_out,) = run_graphviz([dot_source(diagrams["teams"], CASES["teams"])], "json")
    measured = 0
    for item in json.loads(laid_out).get("objects", []) + json.loads(laid_out).get("edges", []):
        size, bold = 14.0, False
        for op in item.get("_ldraw_", []):
            if op["op"] == "F":
                size = op["size"]
            elif op["op"] == "t":
                bold = bool(op["fontchar"] & 1)
            elif op["op"] == "T":
                assert text_width(op["text"], size, bold) == pytest.approx(op["width"], rel=0.01), op
                measured += 1
    assert measured > 40


def test_names_break_only_between_words(diagrams: dict[str, Diagram], pictures: dict[str, str]) -> None:
    """Each box's name is drawn whole, in lines that end after a slash or at a space; each arrow's labels too."""
    for case in CASES:
        nodes = {node_name(n): n for n in diagrams[case].nodes.values()}
        for group in _groups(pictures[case], "node"):
            name = ["".join(t.itertext()) for t in group.iter(f"{SVG}text") if t.attrib.get("font-weight") == "bold"]
            label = nodes[_title(group)].label
            assert "".join(f"{line} " if not line.endswith("/") else line for line in name).strip() == label
        labels = {w for e in diagrams[case].edges for label in e.label.split(", ") for w in label.split(" ")}
        for group in _groups(pictures[case], "edge"):
            for text in group.iter(f"{SVG}text"):
                assert set("".join(text.itertext()).split(" ")) <= labels, "".join(text.itertext())


def test_lines_keep_words_whole() -> None:
    assert lines("ClaudeInvoker-us-east-1") == ["ClaudeInvoker-us-east-1"]
    assert lines("InvokerResultsAccessLogBucket") == ["InvokerResultsAccessLogBucket"]  # longer than a line: whole
    assert lines("DataScienceTeam/ClaudeOpus47Profile") == ["DataScienceTeam/", "ClaudeOpus47Profile"]
    assert lines("IAM principals of this account") == ["IAM principals of this", "account"]
    assert lines("logs every call as configured by", 18) == ["logs every call as", "configured by"]


def test_a_kind_of_stack_has_one_colour_in_every_report(diagrams: dict[str, Diagram]) -> None:
    """The logging stack is drawn in the same colours in us-east-1 beside four stacks as in eu-central-2 beside six;
    an unknown kind of stack gets colours derived from its name, the same each time."""

    def cluster(source: str, stack: str) -> str:
        found = re.search(rf'subgraph "cluster {stack}" {{\n    graph \[[^\]]* color="(#\w+)"', source)
        assert found is not None, stack
        return found.group(1)

    default = dot_source(diagrams["default"], "us-east-1")
    teams = dot_source(diagrams["teams"], "eu-central-2")
    assert len(re.findall("subgraph", teams)) > len(re.findall("subgraph", default))
    for kind in ("ClaudeInvocationLogging", "ClaudeInvoker", "ClaudeInvocationAccess", "ClaudeUsage"):
        assert cluster(default, f"{kind}-us-east-1") == cluster(teams, f"{kind}-eu-central-2") == stack_colours(kind)[1]
    assert stack_colours("ClaudeSomethingNew") == stack_colours("ClaudeSomethingNew")
    kinds = ("ClaudeInvocationLogging", "ClaudeInvoker", "ClaudeTeams", "ClaudeUsage")
    assert len({stack_colours(kind) for kind in kinds}) == len(kinds)
