"""The report as a document: sections of paragraphs, lists, tables, verdicts and pictures, built from the facts once.

`render_markdown` and `render_html` only lay this out, so both files say the same things. Text may carry two marks,
`code` and **bold**, which each renderer turns into its own markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from compliance.report.verdicts import Verdict


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    widths: tuple[int, ...] = ()  # percent of the page per column (HTML)
    css: str = ""
    marks: bool = False  # "yes"/"NO" cells are verdicts (HTML colours them)


@dataclass
class Verdicts:
    """Questions by Region: the marks a reviewer scans first."""

    regions: list[str]
    rows: list[tuple[str, list[Verdict]]]  # question, one verdict per Region


@dataclass
class Figure:
    region: str


@dataclass
class Bullets:
    items: list[str]


Block = str | Bullets | Table | Verdicts | Figure


@dataclass
class Section:
    title: str
    level: int
    blocks: list[Block] = field(default_factory=list)
    anchor: str = ""


@dataclass
class Document:
    title: str
    covers: list[tuple[str, str]]  # what the report covers: (label, value)
    sections: list[Section]
    note: str = ""


def yes_no(ok: bool) -> str:
    """A table cell for a yes/no fact; NO in capitals so a reader's eye stops on it."""
    return "yes" if ok else "NO"
