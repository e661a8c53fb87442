"""Writing the report's two files from one set of facts."""

from __future__ import annotations

from pathlib import Path

from compliance.report.assembly import Covers, Report, build_report
from compliance.report.html import render_html
from compliance.report.markdown import render_markdown


def write_report(
    assembly: Path,
    output: Path,
    covers: Covers | None = None,
    stem: str = "compliance-report",
    report: Report | None = None,
) -> tuple[Path, Path]:
    report = report or build_report(assembly, covers)
    output.mkdir(parents=True, exist_ok=True)
    md_path, html_path = output / f"{stem}.md", output / f"{stem}.html"
    md_path.write_text(render_markdown(report))
    html_path.write_text(render_html(report))
    return md_path, html_path
