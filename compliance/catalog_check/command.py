"""`python app.py catalog-check [--json | --propose]`: every configured Region and model, one table (or JSON), an
exit code; or, with `--propose`, the catalog entries the account shows are missing or stale (propose.py)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import asdict

from compliance.aws import Session, client, start_session
from compliance.catalog_check.account import read_region
from compliance.catalog_check.compare import Row, read_failures, region_rows
from compliance.catalog_check.expected import expected_models
from compliance.catalog_check.propose import run_propose
from compliance.command import FINDINGS, OK, USAGE, Options, Settings
from core.config import AppConfig

HEADER = ("STATUS", "REGION", "MODEL", "CHECK", "EXPECTED", "ACTUAL")


def run_check(config: AppConfig, session: Session) -> tuple[list[Row], list[str]]:
    """The rows of every configured Region, and one line per read that failed (action, Region, error)."""
    models = config.models
    catalog_ids = [model.model_id for model in models.catalog.models]
    # The account only enters the profile's ARN, which the check does not compare; IDs are account-independent.
    account = config.account or ""
    rows: list[Row] = []
    failures: list[str] = []
    for region in config.regions:
        expected = expected_models(models.allowed, models.endpoint_scope, region, account, config.today)
        routed = [m.profile_id for m in expected if m.profile_id is not None and m.destinations is not None]
        observed = read_region(client(session, "bedrock", region), region, routed)
        rows += region_rows(expected, observed, catalog_ids)
        failures += [f"Cannot read {f.action} in {region}: {f.error}" for f in read_failures(observed)]
    return rows, failures


def count(rows: Iterable[Row], status: str) -> int:
    return sum(row.status == status for row in rows)


def render_table(rows: list[Row]) -> str:
    cells = [HEADER, *((r.status, r.region, r.model, r.check, r.expected, r.actual) for r in rows)]
    widths = [max(len(row[column]) for row in cells) for column in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in cells]
    failed, warned, informed = count(rows, "FAIL"), count(rows, "WARN"), count(rows, "INFO")
    if any(row.status == "FAIL" and row.check != "read" for row in rows):
        verdict = "a configured deployment would fail"
    elif failed:
        verdict = "some reads failed: the catalog is not fully checked"
    else:
        verdict = "nothing breaks a configured deployment"
    summary = (
        f"{len(rows)} row{'' if len(rows) == 1 else 's'}: {failed} FAIL, {warned} WARN, {informed} INFO: {verdict}"
    )
    return "\n".join(lines) + f"\n\n{summary}\n"


def render_json(rows: list[Row]) -> str:
    document = {"rows": [asdict(row) for row in rows], "failed": count(rows, "FAIL"), "warned": count(rows, "WARN")}
    return json.dumps(document, indent=2) + "\n"


def run(settings: Settings, options: Options, *, session: Session | None = None) -> int:
    """Print the rows (JSON with `--json`); 1 when a difference breaks a configured deployment or a read failed (or
    a session cannot start), 0 otherwise. With `--propose`, print the catalog entries the account shows are missing
    or stale instead (propose.py): 0, or 1 when a read failed. `session`: a test's, instead of the caller's default."""
    if "--propose" in options and "--json" in options:
        print(
            "Usage: catalog-check --propose prints Python source for the catalog; it takes no --json", file=sys.stderr
        )
        return USAGE
    session = session or start_session(sys.stderr)
    if session is None:
        return FINDINGS
    if "--propose" in options:
        config = settings.config
        text, failures = run_propose(config.models.catalog, config.regions, session, config.today)
        for line in failures:
            print(line, file=sys.stderr)
        sys.stdout.write(text)
        return FINDINGS if failures else OK
    rows, failures = run_check(settings.config, session)
    for line in failures:
        print(line, file=sys.stderr)
    sys.stdout.write(render_json(rows) if "--json" in options else render_table(rows))
    return FINDINGS if count(rows, "FAIL") else OK
