"""Merging the rows of the benchmarks just run into an existing RESULTS.md, keeping every other benchmark's rows.

`bench/run.py --only org --merge` measures one benchmark and updates its rows, notes and findings in place: the
other rows (measured earlier, perhaps on another day) stay as they were, and the Machine section says which rows
were merged, when, and on what.
"""

from __future__ import annotations

from pathlib import Path

from _common import Row, Section

RESULTS_HEADER = "| Benchmark | Variant | Measured | Ratio | Target | Status |"


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def read_rows(text: str) -> list[Row]:
    lines = text.splitlines()
    if RESULTS_HEADER not in lines:
        return []
    rows = []
    for line in lines[lines.index(RESULTS_HEADER) + 2 :]:
        if not line.startswith("|"):
            break
        cells = _cells(line)
        rows.append(Row(*cells[:6]))
    return rows


def _bullets(text: str, heading: str) -> list[str]:
    lines = text.splitlines()
    if heading not in lines:
        return []
    found = []
    for line in lines[lines.index(heading) + 2 :]:
        if line.startswith("## ") or (not line.strip() and found):
            break
        if line.startswith("- "):
            found.append(line)
    return found


MERGED, MEASURED_BY = "- Merged: ", " measured by `bench/run.py --merge` "


def _still_merged(line: str, titles: list[str]) -> str:
    """An earlier merge's line without the benchmarks measured again now ("" when none is left): each row says
    when it was measured."""
    merged, _, when = line.removeprefix(MERGED).partition(MEASURED_BY)
    left = [title for title in merged.split(", ") if title not in titles]
    return f"{MERGED}{', '.join(left)}{MEASURED_BY}{when}" if left else ""


def merge(
    existing: Path, sections: list[Section], titles: list[str], facts: dict[str, str]
) -> tuple[list[Row], list[str], list[str], list[str]]:
    """Rows, notes and findings of `existing` with those of `sections` (benchmarks titled `titles`) replaced, and
    the lines the Machine section keeps (with one saying what was merged)."""
    text = existing.read_text() if existing.exists() else ""
    prefixes = tuple(title.split(" ", 1)[0] for title in titles)  # "6." of "6. Org audit"
    names = {section.name for section in sections}
    fresh = [row for section in sections for row in section.rows]
    # A benchmark may report a row under another's number (synth checks the package's asset): the new one replaces it.
    again = {(row.benchmark, row.variant) for row in fresh}
    rows = [
        row
        for row in read_rows(text)
        if not row.benchmark.startswith(prefixes) and (row.benchmark, row.variant) not in again
    ]
    rows += fresh
    notes = [
        line for line in _bullets(text, "## Notes") if not any(line.startswith(f"- **{name}.**") for name in names)
    ]
    notes += [f"- **{section.name}.** {note}" for section in sections for note in section.notes]
    findings = [
        line
        for line in _bullets(text, "## Findings (targets missed: why, and what a fix would take)")
        if not any(line.startswith(f"- **{name}.**") for name in names) and "Every target was met" not in line
    ]
    findings += [f"- **{section.name}.** {finding}" for section in sections for finding in section.findings]
    machine = [
        kept
        for line in _bullets(text, "## Machine")
        if (kept := line if not line.startswith(MERGED) else _still_merged(line, titles))
    ]
    summary = ", ".join(
        f"{'Speed at start' if key.startswith('Speed') else key} {value}"
        for key, value in facts.items()
        if key.startswith(("Date", "CPU", "Cores", "Speed"))
    )
    machine.append(f"{MERGED}{', '.join(titles)}{MEASURED_BY}({summary})")
    return sorted(rows, key=lambda r: r.benchmark[:2]), notes, findings, machine
