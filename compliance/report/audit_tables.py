"""The report's tables of the read-only audit (`--deployed`): each Region's rows, then the account-wide ones."""

from __future__ import annotations

from compliance.report.assembly import ACCOUNT_WIDE, Report
from compliance.report.document import Block, Table

_AUDIT_CELLS = {"PASS": "yes", "FAIL": "NO", "WARN": "WARN", "INFO": "INFO"}


def audit_tables(report: Report) -> list[Block]:
    blocks: list[Block] = [
        "The read-only audit (`compliance/audit`) of each Region: what it expected, what it found, and whether "
        "they agree (WARN: a risk it cannot settle from what it may read; INFO: listed, not wrong). The names above "
        "are the resources it found. The account-wide rows check every other enabled Region and the Bedrock API keys."
    ]
    for region, checks in report.audit.items():
        rows = [[f"`{c.name}`", f"`{c.resource}`", c.expected, c.actual, _AUDIT_CELLS[c.result]] for c in checks]
        title = "Account-wide" if region == ACCOUNT_WIDE else region
        blocks += [
            f"**{title}**",
            Table(["Check", "Resource", "Expected", "Found", "Result"], rows, (18, 24, 22, 27, 9), "small", marks=True),
        ]
    return blocks
