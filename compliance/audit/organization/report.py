"""The organization audit as people and pipelines read it.

Text: one matrix with a line per (account, Region) and a column per check (`ok`, `FAIL`, `-` when the check did not
run there, e.g. behind a role that could not be assumed), the legend of the columns, every failing row with what
was expected and found, and a summary. JSON: the same rows and summary, one object.
"""

from __future__ import annotations

import json
from typing import Any

from compliance.audit.organization.audit import OrganizationAudit

PASS_CELL, FAIL_CELL, ABSENT_CELL = "ok", "FAIL", "-"


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
    cells: dict[tuple[str, str], dict[str, str]] = {}
    for row in audit.rows:
        key = (row.account.id, row.check.region)
        cell = cells.setdefault(key, {})
        if not row.check.passed:
            cell[row.check.name] = FAIL_CELL
        else:
            cell.setdefault(row.check.name, PASS_CELL)
    header = ("ACCOUNT", "NAME", "REGION", *(str(number) for number in range(1, len(names) + 1)))
    lines: list[tuple[str, ...]] = [header]
    for account in audit.targets.accounts:
        for region in audit.regions:
            found = cells.get((account.id, region), {})
            lines.append((account.id, account.name, region, *(found.get(name, ABSENT_CELL) for name in names)))
    legend = [f"  {number:>2} {name}" for number, name in enumerate(names, start=1)]
    return [*_table(lines), "", "Checks:", *legend]


def render_text(audit: OrganizationAudit) -> str:
    info = summary(audit)
    lines = matrix(audit) if audit.rows else ["No account to audit under the targets."]
    failed = audit.failed
    if failed:
        head = ("ACCOUNT", "REGION", "CHECK", "RESOURCE", "EXPECTED", "ACTUAL")
        table = [
            (r.account.id, r.check.region, r.check.name, r.check.resource, r.check.expected, r.check.actual)
            for r in failed
        ]
        lines += ["", "Failing rows:", *_table([head, *table])]
    for parent, error in audit.targets.errors:
        lines.append(f"FAIL organizations.accounts: cannot list the accounts of {parent}: {error}")
    for account, state in audit.targets.skipped:
        lines.append(f"Skipped {account.id} ({account.name}): account state {state}")
    verdict = "drift found" if audit.drift else "no drift"
    lines += [
        "",
        f"{info['accounts']} accounts x {len(audit.regions)} Regions = {info['account_regions']} account-Regions, "
        f"{info['checks']} checks, {info['failed']} failed, {len(info['unreachable_accounts'])} accounts unreachable: "
        f"{verdict}" + (f" in {', '.join(info['accounts_with_drift'])}" if info["accounts_with_drift"] else ""),
    ]
    return "\n".join(lines) + "\n"
