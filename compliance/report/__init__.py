"""The compliance report: what the synthesized templates say, written for a reviewer.

    python app.py report [--assembly cdk.out] [--output reports] [--deployed]      (command.py)

Everything in the report is read from the cloud assembly (`cdk.out`): the templates, their construct paths,
their `Metadata.cdk_nag` acknowledgements and the rule packs' `validation-report.json`. Nothing is hand-written,
so the report changes when the infrastructure does.
"""

from __future__ import annotations

from compliance.report.assembly import Covers, Report, build_report
from compliance.report.contents import region_answer
from compliance.report.facts import RegionFacts
from compliance.report.html import render_html
from compliance.report.markdown import render_markdown
from compliance.report.output import write_report

__all__ = [
    "Covers",
    "RegionFacts",
    "Report",
    "build_report",
    "region_answer",
    "render_html",
    "render_markdown",
    "write_report",
]
