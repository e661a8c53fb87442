"""The compliance report: what the synthesized templates say, written for a reviewer.

    python -m compliance.report <cloud-assembly-dir> <output-dir>

Everything in the report is read from the cloud assembly (`cdk.out`): the templates,
their `Metadata.cdk_nag` acknowledgements and the rule packs' `validation-report.json`.
Nothing is hand-written, so the report changes when the infrastructure does.
"""

from __future__ import annotations

import sys
from pathlib import Path

from compliance.report.assembly import Report, build_report
from compliance.report.facts import RegionFacts
from compliance.report.html import render_html
from compliance.report.markdown import region_answer, render_markdown

__all__ = ["RegionFacts", "Report", "build_report", "main", "region_answer", "render_html", "render_markdown"]


def write_report(assembly: Path, output: Path) -> tuple[Path, Path]:
    markdown = render_markdown(build_report(assembly))
    output.mkdir(parents=True, exist_ok=True)
    md_path, html_path = output / "compliance-report.md", output / "compliance-report.html"
    md_path.write_text(markdown)
    html_path.write_text(render_html(markdown))
    return md_path, html_path


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(f"Usage: {argv[0]} <cloud-assembly-dir> <output-dir>", file=sys.stderr)
        return 2
    assembly = Path(argv[1])
    if not (assembly / "manifest.json").exists():
        print(f"{assembly}: no cloud assembly here; run `make synth` first", file=sys.stderr)
        return 2
    for path in write_report(assembly, Path(argv[2])):
        print(f"Compliance report: {path.resolve()}")
    return 0
