"""One run of the continuous audit: the same checks as `python app.py audit` for this function's Region and the
account-wide ones (every other enabled Region, Bedrock API keys), one CloudWatch metric per check, and, when enabled,
the configured logging configuration put back.

The checks are `compliance.audit`'s own modules, copied next to this file when the stack is synthesized; the
expectations come from the environment the stack writes:
- `EXPECTED_RETENTION_DAYS`, `EXPECTED_LOG_DATA` (comma-separated kinds): what `log_retention_days`/`log_data` say;
- `LOGGING_CONFIGURATION`: the exact `loggingConfig` the stack applies (the checks compare it; self-repair puts it);
- `SELF_REPAIR`: `true` to put the configuration back when a `bedrock.logging.*` check fails;
- `EXPECTED_DATA_RETENTION_MODE`, `EXPECTED_DATA_RETENTION_STORAGE`: what `data_retention_*` say (absent: not
  audited). Data retention is never repaired: the audit reports, the deployment sets it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from compliance.audit import Check, Expectations, audit_account, audit_region
from compliance.aws import Session
from core.invocation_logging.guard import (
    AUDIT_METRIC_NAMESPACE,
    CHECK_METRIC,
    FAILED_CHECKS_METRIC,
    REPAIRED_METRIC,
    UNREADABLE_CHECKS_METRIC,
)

# Rows a Put of the configuration can set right (the bucket, log group and role it names are the stack's).
REPAIRABLE = "bedrock.logging."
METRICS_PER_CALL = 20


class CloudWatch(Protocol):
    def put_metric_data(self, *, Namespace: str, MetricData: list[dict[str, Any]]) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Settings:
    expectations: Expectations
    self_repair: bool

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Settings:
        configuration = json.loads(environ["LOGGING_CONFIGURATION"])
        return cls(
            expectations=Expectations(
                retention_days=int(environ["EXPECTED_RETENTION_DAYS"]),
                data=tuple(kind for kind in environ["EXPECTED_LOG_DATA"].split(",") if kind),
                configuration=configuration,
                retention_mode=environ.get("EXPECTED_DATA_RETENTION_MODE"),
                retention_storage=environ.get("EXPECTED_DATA_RETENTION_STORAGE"),
            ),
            self_repair=environ.get("SELF_REPAIR") == "true",
        )


@dataclass(frozen=True)
class RunResult:
    region: str
    checks: list[Check]
    repaired: bool
    repair_error: str | None = None

    @property
    def failed(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]

    def summary(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "checks": len(self.checks),
            "failed": [f"{c.name} ({c.resource}): {c.actual}" for c in self.failed],
            "unreadable": sum(c.unreadable for c in self.failed),
            "repaired": self.repaired,
            "repair_error": self.repair_error,
        }


def run(settings: Settings, session: Session, region: str, account: str) -> RunResult:
    """Audit the Region and the account; repair the configuration if asked and needed; the checks of the final state.

    The account-wide rows treat this Region as the one audited in full: every other enabled Region is checked for
    logging, the other Regions of the deployment included (they pass)."""
    checks = audit_region(settings.expectations, session, region, account)
    account_rows = audit_account(session, region, [region])
    broken = [c for c in checks if c.name.startswith(REPAIRABLE) and not c.passed]
    if not (settings.self_repair and broken and settings.expectations.configuration is not None):
        return RunResult(region, checks + account_rows, repaired=False)
    try:
        bedrock = session.client("bedrock", region_name=region)
        bedrock.put_model_invocation_logging_configuration(loggingConfig=dict(settings.expectations.configuration))
    except Exception as error:  # an AWS error is a value: the run reports it and the drift stays visible
        return RunResult(region, checks + account_rows, repaired=False, repair_error=str(error))
    checks = audit_region(settings.expectations, session, region, account)
    return RunResult(region, checks + account_rows, repaired=True)


def metric_data(checks: Iterable[Check], region: str, repaired: bool) -> list[dict[str, Any]]:
    """CheckPassed (1 or 0) per check name and Region (a name checked twice, e.g. two topics, passes only if both
    do), FailedChecks (names that found drift) and UnreadableChecks (names that could only fail to read: could not
    run, not drift) for the Region, and ConfigurationRepaired."""
    passed: dict[str, bool] = {}
    drifted: set[str] = set()
    for check in checks:
        passed[check.name] = passed.get(check.name, True) and check.passed
        if not check.passed and not check.unreadable:
            drifted.add(check.name)
    unreadable = {name for name, ok in passed.items() if not ok and name not in drifted}

    def datum(name: str, value: int, **dimensions: str) -> dict[str, Any]:
        return {
            "MetricName": name,
            "Dimensions": [{"Name": key, "Value": val} for key, val in dimensions.items()],
            "Value": value,
            "Unit": "Count",
        }

    data = [datum(CHECK_METRIC, int(ok), Check=name, Region=region) for name, ok in passed.items()]
    data.append(datum(FAILED_CHECKS_METRIC, len(drifted), Region=region))
    data.append(datum(UNREADABLE_CHECKS_METRIC, len(unreadable), Region=region))
    data.append(datum(REPAIRED_METRIC, int(repaired), Region=region))
    return data


def publish(cloudwatch: CloudWatch, result: RunResult) -> None:
    data = metric_data(result.checks, result.region, result.repaired)
    for start in range(0, len(data), METRICS_PER_CALL):
        cloudwatch.put_metric_data(Namespace=AUDIT_METRIC_NAMESPACE, MetricData=data[start : start + METRICS_PER_CALL])
