"""The text boxes of an SVG picture, as a person sees them: each <text> element's box from its position, anchor, font
size and an estimate of its length (Helvetica's character widths, the metrics Graphviz lays its labels out with and
that browsers draw with Helvetica's metric twins, Arial, Liberation Sans and Nimbus Sans)."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

SVG = "{http://www.w3.org/2000/svg}"

# Advance widths in thousandths of an em (Adobe's Helvetica and Helvetica-Bold AFM files), printable ASCII.
_REGULAR = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 278 278 "
    "584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 667 778 722 667 611 722 667 944 "
    "667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 "
    "278 556 500 722 500 500 500 334 260 334 584"
)
_BOLD = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 333 333 "
    "584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778 667 778 722 667 611 722 667 944 "
    "667 667 611 333 278 333 584 556 333 556 611 556 611 556 333 611 611 278 278 556 278 889 611 611 611 611 389 556 "
    "333 611 556 778 556 556 500 389 280 389 584"
)
WIDTHS = {weight: [int(w) for w in table.split()] for weight, table in (("normal", _REGULAR), ("bold", _BOLD))}


def text_width(text: str, size: float, bold: bool = False) -> float:
    widths = WIDTHS["bold" if bold else "normal"]
    return sum(widths[ord(c) - 32] if 32 <= ord(c) < 127 else 556 for c in text) * size / 1000


@dataclass(frozen=True)
class TextBox:
    text: str
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: TextBox) -> bool:
        across = self.left < other.right and other.left < self.right
        return across and self.top < other.bottom and other.top < self.bottom


def _bold(element: ElementTree.Element, parents: dict[ElementTree.Element, ElementTree.Element]) -> bool:
    while element is not None:
        if element.attrib.get("font-weight") == "bold":
            return True
        element = parents.get(element)  # type: ignore[assignment]
    return False


def text_boxes(svg: str) -> list[TextBox]:
    """Every <text> of the picture as a box in the picture's coordinates (y grows downwards, the baseline at y)."""
    root = ElementTree.fromstring(svg)
    parents = {child: parent for parent in root.iter() for child in parent}
    boxes = []
    for element in root.iter(f"{SVG}text"):
        text = "".join(element.itertext())
        size = float(element.attrib.get("font-size", "14"))
        x, y = float(element.attrib["x"]), float(element.attrib["y"])
        width = text_width(text, size, _bold(element, parents))
        anchor = element.attrib.get("text-anchor", "start")
        left = x - width / 2 if anchor == "middle" else (x - width if anchor == "end" else x)
        # Ascenders reach about 0.75 em above the baseline, descenders 0.2 em below (Helvetica's bounding box).
        boxes.append(TextBox(text, left, y - 0.75 * size, left + width, y + 0.2 * size))
    return boxes


def overlapping(svg: str) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap."""
    return [(a.text, b.text) for a, b in itertools.combinations(text_boxes(svg), 2) if a.overlaps(b)]


def curve_points(d: str, steps: int = 16) -> list[tuple[float, float]]:
    """Points along a Graphviz path (`M x,y C x1,y1 x2,y2 x3,y3 ...`: one move, then cubic Béziers)."""
    numbers = [float(n) for n in re.findall(r"-?[\d.]+", d)]
    pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
    points = [pairs[0]]
    for i in range(1, len(pairs) - 2, 3):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pairs[i - 1], pairs[i], pairs[i + 1], pairs[i + 2]
        for step in range(1, steps + 1):
            t = step / steps
            a, b, c, e = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
            points.append((a * x0 + b * x1 + c * x2 + e * x3, a * y0 + b * y1 + c * y2 + e * y3))
    return points


def crossed_texts(svg: str) -> list[tuple[str, str]]:
    """(arrow, text) for each arrow whose line runs through a text that is not its own label."""
    root = ElementTree.fromstring(svg)
    boxes = text_boxes(svg)
    found = []
    for group in root.iter(f"{SVG}g"):
        if group.attrib.get("class") != "edge":
            continue
        title = "".join(group.find(f"{SVG}title").itertext())  # type: ignore[union-attr]
        own = {"".join(t.itertext()) for t in group.iter(f"{SVG}text")}
        for path in group.iter(f"{SVG}path"):
            points = curve_points(path.attrib["d"])
            for box in boxes:
                if box.text not in own and any(
                    box.left < x < box.right and box.top < y < box.bottom for x, y in points
                ):
                    found.append((title, box.text))
    return found
