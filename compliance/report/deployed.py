"""The report as deployed: the same document, with the real bucket, log group, key, role, rule and topic of an account.

    python app.py report --deployed     (the caller's AWS credentials; read-only)

For each Region of the assembly, the audit (`compliance.audit.audit_region`) reads the account with the expectations
the stack gives its continuous audit (`EXPECTED_RETENTION_DAYS`, `EXPECTED_LOG_DATA`, `EXPECTED_DATA_RETENTION_*`
in the audit function's environment). Its findings name the resources it found by following the logging
configuration; `deployed_names` pairs them with the template's placeholders (the configuration's bucketName
`{InvocationLogBucket}` is the bucket the deployed configuration names, and so on), and the report is written with
those names, plus the audit's rows and a verdict per Region; the account-wide rows (every other enabled Region has
logging, no active Bedrock API key: `compliance.audit.audit_account`) follow the Regions' and count in each Region's
verdict. Writes `compliance-report-deployed.md` and `.html`; exits 1 when a check fails (a WARN or INFO row passes).
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from pathlib import Path
from typing import Any

from compliance.audit import Check, Expectations, audit_account, audit_region
from compliance.aws import AwsError, Session, client, error_text
from compliance.command import FINDINGS, OK
from compliance.report.assembly import ACCOUNT_WIDE, Covers, Report, build_report
from compliance.report.cloud_assembly import Names, read_stacks
from compliance.report.diagram import Node
from compliance.report.facts import CONFIGURATION_TYPE
from compliance.report.output import write_report
from compliance.report.verdicts import FAIL, PASS, WARN, Verdict, region_verdicts

# Audit rows that report the deployed configuration, and where their key=value pairs sit in `loggingConfig`.
_CONFIGURATION_ROWS = {
    "bedrock.logging.s3": ("s3Config",),
    "bedrock.logging.cloudwatch": ("cloudWatchConfig",),
    "bedrock.logging.large_data": ("cloudWatchConfig", "largeDataDeliveryS3Config"),
}
_PLACEHOLDER = re.compile(r"^\{[^{}]+\}$")
_ARN = re.compile(r"arn:aws[\w-]*:[\w-]+:[\w-]*:\d*:[^\s,;)]+")
QUESTION = "Deployed as synthesized (audit)"


def expectations(assembly: Path, region: str) -> Expectations:
    """What the stack's continuous audit expects in `region`, read from the audit function's environment."""
    for stack in read_stacks(assembly):
        for template_resource in stack.resources.values() if stack.region == region else ():
            variables = template_resource.get("Properties", {}).get("Environment", {}).get("Variables", {})
            if "EXPECTED_RETENTION_DAYS" in variables:
                data = tuple(k for k in str(variables.get("EXPECTED_LOG_DATA", "")).split(",") if k)
                return Expectations(
                    retention_days=int(variables["EXPECTED_RETENTION_DAYS"]),
                    data=data,
                    retention_mode=variables.get("EXPECTED_DATA_RETENTION_MODE"),
                    retention_storage=variables.get("EXPECTED_DATA_RETENTION_STORAGE"),
                )
    raise ValueError(f"{region}: no continuous audit function in the assembly to read the expectations from")


def template_configuration(assembly: Path, region: str) -> dict[str, Any]:
    """The `loggingConfig` the Region's template applies, with placeholders for the resources it names."""
    stacks = read_stacks(assembly)
    names = Names(stacks)
    for stack in stacks:
        for template_resource in stack.resources.values() if stack.region == region else ():
            if template_resource.get("Type") == CONFIGURATION_TYPE and "Configuration" in template_resource.get(
                "Properties", {}
            ):
                return dict(json.loads(names.text(template_resource["Properties"]["Configuration"], region)))
    return {}


def _pairs(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in text.split(", ") if "=" in part)


def deployed_names(template: dict[str, Any], checks: list[Check], account: str) -> dict[str, str]:
    """Placeholder -> what the audit found: {InvocationLogBucket} -> the bucket the deployed configuration names."""
    names = {"{account}": account}
    for check in checks:
        path = _CONFIGURATION_ROWS.get(check.name)
        if path and check.passed:
            section: Any = template
            for key in path:
                section = section.get(key, {}) if isinstance(section, dict) else {}
            for key, value in _pairs(check.actual).items():
                placeholder = section.get(key) if isinstance(section, dict) else None
                if isinstance(placeholder, str) and _PLACEHOLDER.match(placeholder):
                    names[placeholder] = value
    key_arns = [
        m.group(0)
        for c in checks
        if c.name in ("s3.bucket.encryption", "logs.group.encryption")
        for m in [_ARN.search(c.actual)]
        if m
    ]
    rule = next((c for c in checks if c.name == "events.tamper_rule" and c.passed), None)
    found = {
        "key": key_arns[0] if key_arns else None,
        "rule": rule.resource if rule else None,
        "topic": next(iter(_ARN.findall(rule.actual)), None) if rule else None,
    }
    return {**names, **{k: v for k, v in found.items() if v}}


def _replace(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        for placeholder, real in names.items():
            value = value.replace(placeholder, real)
        return value
    if isinstance(value, list):
        return [_replace(item, names) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, names) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _replace(getattr(value, f.name), names) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


def _named(report: Report, region: str, names: dict[str, str]) -> dict[str, str]:
    """The audit's names for the Region's placeholders: the key, rule and topic are found by role, not by text."""
    facts = report.regions[region]
    by_role = {
        "key": re.findall(r"\{[^{}]+\}", facts.logging.bucket_encryption),
        "rule": [f"{{{t.control.split()[1]}}}" for t in facts.threats if t.control.startswith("rule ")],
        "topic": re.findall(r"notifies (\{[^{}]+\})", " ".join(t.control for t in facts.threats)),
    }
    mapped = {k: v for k, v in names.items() if k.startswith("{")}
    for role, placeholders in by_role.items():
        if role in names and placeholders:
            mapped[placeholders[0]] = names[role]
    return mapped


def _counted(rows: list[Check]) -> str:
    advisories = [r.result for r in rows if r.advisory]
    noted = ", ".join(f"{advisories.count(kind)} {kind}" for kind in ("WARN", "INFO") if kind in advisories)
    return f"{sum(r.passed for r in rows)} of {len(rows)}" + (f" ({noted})" if noted else "")


def audit_verdict(region_rows: list[Check], account_rows: list[Check]) -> Verdict:
    """FAIL on a failing row of the Region or the account, WARN on a WARN row (a risk the audit cannot settle),
    PASS otherwise; INFO rows are counted, never marked."""
    rows = [*region_rows, *account_rows]
    status = FAIL if any(not r.passed for r in rows) else WARN if any(r.advisory == "WARN" for r in rows) else PASS
    detail = f"{_counted(region_rows)} checks of the Region pass"
    if account_rows:
        detail += f"; {_counted(account_rows)} account-wide (every enabled Region, Bedrock API keys)"
    return Verdict(QUESTION, status, detail)


def deployed_report(
    assembly: Path,
    covers: Covers,
    checks_by_region: dict[str, list[Check]],
    account: str,
    account_checks: list[Check] | None = None,
) -> Report:
    """The report with the audit's names, rows and verdict; `account_checks`: the account-wide rows (audit_account),
    counted in every Region's verdict (an unlogged Region or an API key concerns each of them)."""
    report = build_report(assembly, covers)
    report.covers.account = f"account {account}, audited {covers.generated or 'now'}"
    account_rows = account_checks or []
    for region, checks in checks_by_region.items():
        names = _named(report, region, deployed_names(template_configuration(assembly, region), checks, account))
        report.regions[region] = _replace(report.regions[region], names)
        report.teams[region] = _replace(report.teams.get(region, []), names)
        report.verdicts[region] = [*region_verdicts(report.regions[region]), audit_verdict(checks, account_rows)]
        report.audit[region] = checks
        for key, node in list(report.diagram.nodes.items()):
            real = names.get("{" + node.label + "}")
            if node.region == region and real:
                report.diagram.nodes[key] = Node(node.key, node.label, f"{node.kind}: {real}", node.region, node.stack)
    if account_rows:
        report.audit[ACCOUNT_WIDE] = account_rows
    return report


def write_deployed(assembly: Path, output: Path, covers: Covers, session: Session) -> int:
    """Audit every Region of the assembly in the account of `session` and write the as-deployed report."""
    regions = sorted({s.region for s in read_stacks(assembly)})
    try:
        account = str(client(session, "sts", regions[0]).get_caller_identity()["Account"])
    except AwsError as error:
        print(f"Cannot read the account of the credentials: {error_text(error)}", file=sys.stderr)
        return FINDINGS
    checks = {r: audit_region(expectations(assembly, r), session, r, account) for r in regions}
    account_checks = audit_account(session, regions[0], regions)
    report = deployed_report(assembly, covers, checks, account, account_checks)
    for path in write_report(assembly, output, stem="compliance-report-deployed", report=report):
        print(f"Compliance report as deployed in {account}: {path.resolve()}")
    failed = sum(not c.passed for rows in [*checks.values(), account_checks] for c in rows)
    return FINDINGS if failed else OK
