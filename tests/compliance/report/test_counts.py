"""Every count in a verdict is the number of rows of the table it names, as the document shows that table (counted
here from the rendered document's tables, not from the facts the verdict read)."""

from __future__ import annotations

import re

import pytest

from compliance.report import build_report
from compliance.report.contents import build_document
from compliance.report.document import Document, Table, Verdicts
from tests.support.synth import Synth


def _tables(document: Document) -> dict[tuple[str, str], Table]:
    """(Region or "", section title) -> the section's first table; Region sections run until the next level 2."""
    found: dict[tuple[str, str], Table] = {}
    region = ""
    for section in document.sections:
        if section.level == 2:
            region = section.anchor.removeprefix("region-") if section.anchor.startswith("region-") else ""
        for block in section.blocks:
            if isinstance(block, Table):
                found.setdefault((region, section.title), block)
    return found


def _verdicts(document: Document) -> dict[tuple[str, str], str]:
    block = next(b for s in document.sections for b in s.blocks if isinstance(b, Verdicts))
    return {(region, q): v.detail for q, marks in block.rows for region, v in zip(block.regions, marks, strict=True)}


def check_counts(document: Document) -> int:
    """Assert each counted verdict against its table; the number of counts checked."""
    tables, details, checked = _tables(document), _verdicts(document), 0
    for (region, question), detail in details.items():
        for covered, total, title in re.findall(r"(\d+) of (\d+) threats of the table “([^”]+)”", detail):
            rows = tables[(region, title)].rows
            assert int(total) == len(rows), (question, detail)
            assert int(covered) == sum(r[-1] in ("yes", "WARN") for r in rows), (question, detail)
            checked += 1
        for count, title in re.findall(r"(\d+) named ARNs \(table “([^”]+)”\)", detail):
            assert int(count) == len(tables[(region, title)].rows), (question, detail)
            checked += 1
        for heard, total, title in re.findall(r"(\d+) of (\d+) topics of the table “([^”]+)”", detail):
            rows = tables[(region, title)].rows
            assert int(total) == len(rows), (question, detail)
            assert int(heard) == sum(not r[1].startswith("none") for r in rows), (question, detail)
            checked += 1
        for listed, title in re.findall(r"\(([\w, -]+): the model ARNs of table “([^”]+)”\)", detail):
            arns = [r[0] for r in tables[(region, title)].rows]
            served = {m for a in arns for m in re.findall(r"arn:aws:bedrock:([\w-]+):[^:]*:foundation-model/", a)}
            assert set(listed.split(", ")) == served, (question, detail)
            checked += 1
        for count, title in re.findall(r"in the (\d+) packs of the table “([^”]+)”", detail):
            assert int(count) == len(tables[("", title)].rows), (question, detail)
            checked += 1
        for count, title in re.findall(r"(\d+) acknowledgements with reasons \(table “([^”]+)”\)", detail):
            assert int(count) == len(tables[("", title)].rows), (question, detail)
            checked += 1
    return checked


@pytest.mark.parametrize("case", ["default", "every_option", "teams"])
def test_every_count_matches_the_table_it_summarizes(
    case: str, default_synth: Synth, every_option_synth: Synth, teams_synth: Synth
) -> None:
    synth = {"default": default_synth, "every_option": every_option_synth, "teams": teams_synth}[case]
    document = build_document(build_report(synth.outdir))
    # Tamper-resistant, Unlogged paths closed, Access exact, Alarms reach someone, and the two counts of the packs'
    # verdict; the residency's Regions under a geography.
    assert check_counts(document) >= (6 if case == "default" else 7)


def test_a_count_that_is_not_the_tables_fails(default_synth: Synth) -> None:
    """Drop a row from the threat table the tamper verdict counts: the check sees the count disagree."""
    document = build_document(build_report(default_synth.outdir))
    table = _tables(document)[("us-east-1", "What could alter or stop logging")]
    table.rows.pop()
    with pytest.raises(AssertionError, match="Tamper-resistant"):
        check_counts(document)
