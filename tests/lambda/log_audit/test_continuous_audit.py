"""The continuous audit against moto: a compliant account passes, each drift fails its own check and the drift
metric, and self-repair puts the deployed configuration back (and says so in its metric).

The checks are compliance/audit's own; here they run the way the function runs them, with the expectations the
stack writes into its environment (the exact configuration included).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from continuous_audit import RunResult, Settings, metric_data, publish, run

from core.invocation_logging.guard import (
    AUDIT_METRIC_NAMESPACE,
    CHECK_METRIC,
    FAILED_CHECKS_METRIC,
    REPAIRED_METRIC,
    UNREADABLE_CHECKS_METRIC,
)
from tests.support.fake_account import ACCOUNT, IAM_USER, LOG_DATA, REGION, CompliantAccount, deny
from tests.support.guard_drifts import (
    delete_configuration,
    delete_s3_alarm,
    disable_rule,
    redirect_logs,
    remove_bucket_denies,
    stop_trail,
    text_off,
)

FUNCTION_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:ClaudeInvocationLogging-LogAuditFunction"
# The command line's rows of the Region (tests/compliance/audit/test_run.py) with `bedrock.logging.matches`, and the
# account's: the enabled Regions, the one other Region where Bedrock can be called, the Bedrock API keys.
COMPLIANT_CHECKS = 31 + 3


def environment(account: CompliantAccount, self_repair: bool) -> dict[str, str]:
    """What the stack writes into the function's environment (stacks/invocation_logging/continuous_audit.py)."""
    return {
        "EXPECTED_RETENTION_DAYS": "30",
        "EXPECTED_LOG_DATA": ",".join(LOG_DATA),
        "LOGGING_CONFIGURATION": json.dumps(account.logging_config),
        "SELF_REPAIR": json.dumps(self_repair),
        "EXPECTED_DATA_RETENTION_MODE": "none",
        "EXPECTED_DATA_RETENTION_STORAGE": "unmanaged",
    }


def audit(account: CompliantAccount, self_repair: bool = False) -> RunResult:
    return run(Settings.from_environment(environment(account, self_repair)), account.session, REGION, ACCOUNT)


def current(account: CompliantAccount) -> dict[str, Any]:
    return dict(account.client("bedrock").get_model_invocation_logging_configuration().get("loggingConfig") or {})


def add_key_reader(account: CompliantAccount) -> None:
    kms = account.client("kms")
    policy = json.loads(kms.get_key_policy(KeyId=account.key_arn, PolicyName="default")["Policy"])
    reader = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:Decrypt"}
    policy["Statement"].append({**reader, "Resource": "*"})
    kms.put_key_policy(KeyId=account.key_arn, PolicyName="default", Policy=json.dumps(policy))


def delete_stream(account: CompliantAccount) -> None:
    account.client("logs").delete_log_stream(
        logGroupName=account.log_group, logStreamName="aws/bedrock/modelinvocations"
    )


def make_api_key(account: CompliantAccount) -> None:
    account.facts.add_api_key(IAM_USER)


def enable_unlogged_region(account: CompliantAccount) -> None:
    account.facts.regions.append(("us-west-2", "opt-in-not-required"))


def retention_relaxed(account: CompliantAccount) -> None:
    """Someone set the Region's data retention mode to aws_review (the stack sets none)."""
    account.retention.mode = "aws_review"


# drift -> the checks it fails, and whether a Put of the configuration repairs it
DRIFTS: dict[str, tuple[Callable[[CompliantAccount], None], set[str], bool]] = {
    "configuration-deleted": (delete_configuration, {"bedrock.logging.configured"}, True),
    # The audit follows the configuration to the bucket it names, which does not exist.
    "logs-redirected": (redirect_logs, {"bedrock.logging.matches", "s3.bucket.exists"}, True),
    "text-not-logged": (text_off, {"bedrock.logging.matches", "bedrock.logging.data.text"}, True),
    "rule-disabled": (disable_rule, {"events.tamper_rule"}, False),
    "alarm-deleted": (delete_s3_alarm, {"cloudwatch.alarm.ModelInvocationLogsS3DeliveryFailure"}, False),
    "trail-stopped": (stop_trail, {"cloudtrail.management_events"}, False),
    "bucket-denies-removed": (remove_bucket_denies, {"s3.bucket.deny_log_writes", "s3.bucket.deny_log_deletes"}, False),
    # The rows added to reach Prowler's coverage: none is the configuration's to repair.
    "outside-key-reader": (add_key_reader, {"kms.key.readers"}, False),
    "log-stream-deleted": (delete_stream, {"logs.group.stream"}, False),
    "long-term-api-key": (make_api_key, {"iam.bedrock_api_keys"}, False),
    "unlogged-region": (enable_unlogged_region, {"bedrock.region.logging"}, False),
    # Data retention is reported, never repaired: only the deployment sets it.
    "retention-relaxed": (retention_relaxed, {"bedrock.data_retention.mode"}, False),
}


def test_a_compliant_account_passes_every_check(compliant_account: CompliantAccount) -> None:
    result = audit(compliant_account)
    assert result.failed == []
    assert "bedrock.logging.matches" in {check.name for check in result.checks}
    assert len(result.checks) == COMPLIANT_CHECKS
    assert not result.repaired


@pytest.mark.parametrize(("drift", "failing", "repairable"), DRIFTS.values(), ids=DRIFTS.keys())
def test_each_drift_fails_its_own_checks(
    compliant_account: CompliantAccount, drift: Callable[[CompliantAccount], None], failing: set[str], repairable: bool
) -> None:
    drift(compliant_account)
    result = audit(compliant_account)
    assert {check.name for check in result.failed} == failing
    metrics = {(d["MetricName"], _dimension(d, "Check")): d["Value"] for d in metric_data(result.checks, REGION, False)}
    assert metrics[(FAILED_CHECKS_METRIC, None)] == len(failing)
    assert {name for (metric, name), value in metrics.items() if metric == CHECK_METRIC and value == 0} == failing


@pytest.mark.parametrize(("drift", "failing", "repairable"), DRIFTS.values(), ids=DRIFTS.keys())
def test_self_repair_puts_the_deployed_configuration_back(
    compliant_account: CompliantAccount, drift: Callable[[CompliantAccount], None], failing: set[str], repairable: bool
) -> None:
    drift(compliant_account)
    result = audit(compliant_account, self_repair=True)
    assert result.repaired is repairable
    if repairable:
        assert current(compliant_account) == compliant_account.logging_config
        assert result.failed == []
    else:  # not a configuration drift: nothing put, the drift stays visible
        assert {check.name for check in result.failed} == failing


def test_without_self_repair_the_configuration_stays_as_found(compliant_account: CompliantAccount) -> None:
    delete_configuration(compliant_account)
    assert not audit(compliant_account).repaired
    assert current(compliant_account) == {}


def test_a_refused_repair_is_reported_and_the_drift_stays(compliant_account: CompliantAccount) -> None:
    delete_configuration(compliant_account)
    deny(compliant_account, "before-call.bedrock.PutModelInvocationLoggingConfiguration")
    result = audit(compliant_account, self_repair=True)
    assert not result.repaired
    assert result.repair_error is not None and "AccessDenied" in result.repair_error
    assert {check.name for check in result.failed} == {"bedrock.logging.configured"}
    assert result.summary()["repair_error"] == result.repair_error


def test_metrics_are_published_per_check_and_region(compliant_account: CompliantAccount) -> None:
    delete_configuration(compliant_account)
    result = audit(compliant_account, self_repair=True)
    cloudwatch = compliant_account.client("cloudwatch")
    publish(cloudwatch, result)
    listed = cloudwatch.list_metrics(Namespace=AUDIT_METRIC_NAMESPACE)["Metrics"]
    names = {(m["MetricName"], _dimension(m, "Check"), _dimension(m, "Region")) for m in listed}
    assert (REPAIRED_METRIC, None, REGION) in names
    assert (FAILED_CHECKS_METRIC, None, REGION) in names
    assert (CHECK_METRIC, "bedrock.logging.configured", REGION) in names
    assert len([n for n in names if n[0] == CHECK_METRIC]) == len({c.name for c in result.checks})
    # One per check added for Prowler's coverage, under this function's Region (the account-wide ones too).
    added = ["logs.group.stream", "kms.key.state", "kms.key.rotation", "kms.key.readers", "account.regions"]
    added += ["bedrock.region.logging", "iam.bedrock_api_keys"]
    assert {(CHECK_METRIC, name, REGION) for name in added} <= names


def test_a_check_made_twice_passes_only_if_both_pass() -> None:
    from compliance.audit import Check

    rows = [
        Check("sns.topic.subscriptions", REGION, "topic-a", "x", "ok", True),
        Check("sns.topic.subscriptions", REGION, "topic-b", "x", "none", False),
    ]
    data = metric_data(rows, REGION, repaired=False)
    assert [(d["MetricName"], d["Value"]) for d in data] == [
        (CHECK_METRIC, 0),
        (FAILED_CHECKS_METRIC, 1),
        (UNREADABLE_CHECKS_METRIC, 0),
        (REPAIRED_METRIC, 0),
    ]


def test_a_check_it_could_not_read_is_counted_apart_from_drift() -> None:
    """A refused call is not drift: UnreadableChecks, and its own alarm; FailedChecks counts what was found wrong.
    A check that found drift in one resource and could not read another is drift."""
    from compliance.audit import Check

    denied = "cannot read: AccessDenied: not authorized"
    rows = [
        Check("s3.bucket.encryption", REGION, "log-bucket", "SSE-KMS", denied, False),
        Check("logs.group.retention", REGION, "log-group", "30 days", "7 days", False),
        Check("sns.topic.subscriptions", REGION, "topic-a", "x", "none", False),
        Check("sns.topic.subscriptions", REGION, "topic-b", "x", denied, False),
    ]
    metrics = {
        d["MetricName"]: d["Value"]
        for d in metric_data(rows, REGION, repaired=False)
        if d["MetricName"] != CHECK_METRIC
    }
    assert metrics == {FAILED_CHECKS_METRIC: 2, UNREADABLE_CHECKS_METRIC: 1, REPAIRED_METRIC: 0}


def test_the_handler_runs_the_audit_and_publishes(
    compliant_account: CompliantAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {**environment(compliant_account, True), "AWS_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    handler = importlib.reload(importlib.import_module("audit_handler"))  # reads its environment at import
    handler.SESSION = compliant_account.session  # the moto account's clients
    delete_configuration(compliant_account)

    class Context:
        invoked_function_arn = FUNCTION_ARN

    summary = handler.handler({}, Context())
    assert summary["repaired"] is True
    assert summary["failed"] == []
    assert summary["checks"] == COMPLIANT_CHECKS
    assert current(compliant_account) == compliant_account.logging_config


def _dimension(datum: dict[str, Any], name: str) -> str | None:
    return next((d["Value"] for d in datum.get("Dimensions", []) if d["Name"] == name), None)
