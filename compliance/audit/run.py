"""The command-line audit (`python app.py audit`): every check of every configured Region, then the account-wide
checks, printed as one table.

The only audit module that reads the configuration: it turns it into `Expectations`, which is all the checks (and
the continuous audit function, which ships without this module) know.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence

from compliance.audit.account import audit_account
from compliance.audit.checks import Check
from compliance.audit.expectations import Expectations
from compliance.audit.region import audit_region
from compliance.aws import AwsError, Session, client, error_text, start_session
from compliance.command import CANNOT_RUN, FINDINGS, OK, Options, Settings
from core.config import AppConfig

HEADER = ("CHECK", "REGION", "RESOURCE", "EXPECTED", "ACTUAL", "RESULT")


def expectations(config: AppConfig) -> Expectations:
    return Expectations(
        retention_days=config.logging.retention_days,
        data=config.logging.data,
        retention_mode=config.data_retention.mode_text,
        retention_storage=config.data_retention.storage_text,
    )


def check_account(config: AppConfig, session: Session) -> tuple[Check | None, str | None]:
    """The account of the credentials (sts:GetCallerIdentity needs no permission); with `account` configured, a row
    saying whether they belong to it."""
    region = config.regions[0]
    expected = f"account {config.account}" if config.account else "the credentials' account (account unset)"
    try:
        actual = str(client(session, "sts", region).get_caller_identity()["Account"])
    except AwsError as error:
        row = Check("sts.account", region, "caller identity", expected, f"cannot read: {error_text(error)}", False)
        return row, None
    if not config.account:
        return None, actual
    passed = actual == config.account
    note = "" if passed else " (credentials of another account: nothing audited)"
    return Check("sts.account", region, "caller identity", expected, f"account {actual}{note}", passed), actual


def run_audit(config: AppConfig, session: Session) -> list[Check]:
    """All checks for every configured Region, then the account's (once), read with `session` (a boto3.Session)."""
    row, account = check_account(config, session)
    if account is None or (row is not None and not row.passed):
        return [row] if row is not None else []
    checks = [row] if row is not None else []
    for region in config.regions:
        checks += audit_region(expectations(config), session, region, account)
    return checks + audit_account(session, config.regions[0], config.regions)


def render_table(checks: Iterable[Check]) -> str:
    rows = [HEADER, *((c.name, c.region, c.resource, c.expected, c.actual, c.result) for c in checks)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines) + "\n"


def render_json(checks: Iterable[Check]) -> str:
    listed = list(checks)
    rows = [
        {"check": c.name, "region": c.region, "resource": c.resource, "expected": c.expected, "actual": c.actual}
        | {"result": c.result}
        for c in listed
    ]
    counts = {kind.lower(): count for kind, count in advisories(listed).items()}
    unreadable = sum(c.unreadable for c in listed)
    document = {"rows": rows, "failed": sum(not c.passed for c in listed), "unreadable": unreadable, **counts}
    return json.dumps(document, indent=2) + "\n"


def advisories(checks: Iterable[Check]) -> dict[str, int]:
    """How many rows are WARN and INFO (they pass: no drift, but a reader must see them)."""
    results = [check.result for check in checks]
    return {kind: results.count(kind) for kind in ("WARN", "INFO")}


def summary(checks: Sequence[Check]) -> str:
    """`N checks, F failed, W WARN, I INFO: verdict`, with the rows that could not be read told apart from drift."""
    failed = sum(not check.passed for check in checks)
    unreadable = sum(check.unreadable for check in checks)
    if failed > unreadable:
        verdict = "drift found"
    elif unreadable:
        verdict = "no drift found in what could be read: not known to be in order"
    else:
        verdict = "no drift"
    note = f" ({unreadable} could not be read)" if unreadable else ""
    noted = "".join(f", {count} {kind}" for kind, count in advisories(checks).items() if count)
    return f"{len(checks)} checks, {failed} failed{note}{noted}: {verdict}"


def run(settings: Settings, options: Options, *, session: Session | None = None) -> int:
    """Print the table of checks (or JSON with `--json`); 0 when every check passes, 1 on any drift or unreadable
    resource, 3 when a session cannot start (no credentials). `session`: a test's, instead of the caller's default."""
    session = session or start_session(sys.stderr)
    if session is None:
        return CANNOT_RUN
    checks = run_audit(settings.config, session)
    failed = sum(not check.passed for check in checks)
    if "--json" in options:
        sys.stdout.write(render_json(checks))
    else:
        sys.stdout.write(render_table(checks) + f"\n{summary(checks)}\n")
    return FINDINGS if failed else OK
