"""The organization audit as people and pipelines read it.

Text: one matrix with a line per (account, Region) and a column per check (`ok`, `FAIL`, `WARN`, `info`, `-` when the
check did not run there, e.g. behind a role that could not be assumed), the legend of the columns, every failing
or WARN row with what was expected and found, and a summary. The account-wide rows add lines of their own: `global`
(Bedrock API keys) and each enabled Region outside `regions` where Bedrock can be called. JSON: the same rows and
summary, one object.
"""

from __future__ import annotations

import json
from typing import Any

from compliance.audit.organization.audit import OrganizationAudit

PASS_CELL, FAIL_CELL, ABSENT_CELL = "ok", "FAIL", "-"
# The cell of a result, and which wins when a check has several rows in one line (e.g. two topics, two keys).
CELLS = {"FAIL": FAIL_CELL, "WARN": "WARN", "INFO": "info", "PASS": PASS_CELL}
RANK = list(CELLS)


def check_names(audit: OrganizationAudit) -> list[str]:
    """Every check name, in the order the audit first reports it."""
    return list(dict.fromkeys(row.check.name for row in audit.rows))


def summary(audit: OrganizationAudit) -> dict[str, Any]:
    failed = audit.failed
    return {
        "accounts": len(audit.targets.accounts),
        "regions": list(audit.regions),
        "account_regions": len(audit.targets.accounts) * len(audit.regions),
        "checks": len(audit.rows),
        "failed": len(failed),
        "warnings": sum(row.check.result == "WARN" for row in audit.rows),
        "unreachable_accounts": [account.id for account in audit.unreachable],
        "accounts_with_drift": sorted({row.account.id for row in failed}),
        "skipped_accounts": [{"id": account.id, "state": state} for account, state in audit.targets.skipped],
        "listing_errors": [{"parent": parent, "error": error} for parent, error in audit.targets.errors],
        "drift": audit.drift,
    }


def render_json(audit: OrganizationAudit) -> str:
    rows = [
        {
            "account": row.account.id,
            "account_name": row.account.name,
            "region": row.check.region,
            "check": row.check.name,
            "resource": row.check.resource,
            "expected": row.check.expected,
            "actual": row.check.actual,
            "result": row.check.result,
        }
        for row in audit.rows
    ]
    return json.dumps({"checks": check_names(audit), "rows": rows, "summary": summary(audit)}, indent=2) + "\n"


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]


def matrix(audit: OrganizationAudit) -> list[str]:
    names = check_names(audit)
    results: dict[tuple[str, str], dict[str, str]] = {}
    for row in audit.rows:
        found = results.setdefault((row.account.id, row.check.region), {})
        current = found.get(row.check.name, "PASS")
        found[row.check.name] = min(current, row.check.result, key=RANK.index)
    header = ("ACCOUNT", "NAME", "REGION", *(str(number) for number in range(1, len(names) + 1)))
    lines: list[tuple[str, ...]] = [header]
    for account in audit.targets.accounts:
        others = sorted({region for (owner, region) in results if owner == account.id} - set(audit.regions))
        for region in (*audit.regions, *others):
            found = {name: CELLS[result] for name, result in results.get((account.id, region), {}).items()}
            lines.append((account.id, account.name, region, *(found.get(name, ABSENT_CELL) for name in names)))
    legend = [f"  {number:>2} {name}" for number, name in enumerate(names, start=1)]
    return [*_table(lines), "", "Checks:", *legend]


def render_text(audit: OrganizationAudit) -> str:
    info = summary(audit)
    lines = matrix(audit) if audit.rows else ["No account to audit under the targets."]
    shown = [row for row in audit.rows if row.check.result in ("FAIL", "WARN")]
    if shown:
        head = ("ACCOUNT", "REGION", "CHECK", "RESULT", "RESOURCE", "EXPECTED", "ACTUAL")
        table = [
            (
                r.account.id,
                r.check.region,
                r.check.name,
                r.check.result,
                r.check.resource,
                r.check.expected,
                r.check.actual,
            )
            for r in shown
        ]
        lines += ["", "Failing and WARN rows:", *_table([head, *table])]
    for parent, error in audit.targets.errors:
        lines.append(f"FAIL organizations.accounts: cannot list the accounts of {parent}: {error}")
    for account, state in audit.targets.skipped:
        lines.append(f"Skipped {account.id} ({account.name}): account state {state}")
    verdict = "drift found" if audit.drift else "no drift"
    warned = f"{info['warnings']} WARN, " if info["warnings"] else ""
    lines += [
        "",
        f"{info['accounts']} accounts x {len(audit.regions)} Regions = {info['account_regions']} account-Regions, "
        f"{info['checks']} checks, {info['failed']} failed, {warned}{len(info['unreachable_accounts'])} accounts "
        "unreachable: "
        f"{verdict}" + (f" in {', '.join(info['accounts_with_drift'])}" if info["accounts_with_drift"] else ""),
    ]
    return "\n".join(lines) + "\n"
