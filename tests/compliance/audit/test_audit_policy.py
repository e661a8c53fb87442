"""compliance/audit_policy.json grants exactly the read actions the audit and the catalog check call, and nothing
that writes; IAM's evaluation allows the catalog check's reads on what it reads and no wider.

The continuous audit function's role holds the same statements
(tests/stacks/invocation_logging/test_continuous_audit.py).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from compliance.audit.run import run as audit
from compliance.catalog_check.command import run as catalog_check
from core.config import load_config
from tests.support.bedrock_control_plane import RegionAccount, StubbedBedrock
from tests.support.commands import flags, printed, settings_of
from tests.support.fake_account import ACCOUNT, INVOCATION_LOG_STREAM, TODAY, CompliantAccount, audit_config
from tests.support.iam_evaluator import Principal, allowed
from tests.support.project import ROOT

POLICY_FILE = ROOT / "compliance" / "audit_policy.json"

# API operation the audit calls -> IAM action that authorizes it (Service Authorization Reference).
IAM_ACTION_OF = {
    "bedrock.GetModelInvocationLoggingConfiguration": "bedrock:GetModelInvocationLoggingConfiguration",
    # The data retention page names bedrock:PutAccountDataRetention; the SAR lists this read beside it.
    "bedrock.GetAccountDataRetention": "bedrock:GetAccountDataRetention",
    "logs.DescribeLogGroups": "logs:DescribeLogGroups",
    "iam.GetRole": "iam:GetRole",
    "s3.GetBucketVersioning": "s3:GetBucketVersioning",
    "s3.GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration",
    "s3.GetBucketEncryption": "s3:GetEncryptionConfiguration",
    "s3.GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "s3.GetBucketPolicyStatus": "s3:GetBucketPolicyStatus",
    "s3.GetBucketPolicy": "s3:GetBucketPolicy",
    "events.ListRules": "events:ListRules",
    "events.TestEventPattern": "events:TestEventPattern",
    "events.ListTargetsByRule": "events:ListTargetsByRule",
    "cloudwatch.DescribeAlarmsForMetric": "cloudwatch:DescribeAlarmsForMetric",
    "sns.ListSubscriptionsByTopic": "sns:ListSubscriptionsByTopic",
    "cloudtrail.DescribeTrails": "cloudtrail:DescribeTrails",
    "cloudtrail.GetTrailStatus": "cloudtrail:GetTrailStatus",
    "cloudtrail.GetEventSelectors": "cloudtrail:GetEventSelectors",
    "logs.DescribeLogStreams": "logs:DescribeLogStreams",
    "s3.GetBucketReplication": "s3:GetReplicationConfiguration",
    "s3.ListObjectsV2": "s3:ListBucket",
    "kms.DescribeKey": "kms:DescribeKey",
    "kms.GetKeyPolicy": "kms:GetKeyPolicy",
    "kms.GetKeyRotationStatus": "kms:GetKeyRotationStatus",
    "ec2.DescribeRegions": "ec2:DescribeRegions",
    "iam.ListUsers": "iam:ListUsers",
    "iam.ListServiceSpecificCredentials": "iam:ListServiceSpecificCredentials",
    "sts.GetCallerIdentity": None,  # needs no permission
}
# The catalog check's calls; ListInferenceProfiles and ListFoundationModels have no resource type, GetInferenceProfile
# takes inference-profile and application-inference-profile (Service Authorization Reference, Amazon Bedrock).
CATALOG_CHECK_ACTION_OF = {
    "bedrock.ListInferenceProfiles": "bedrock:ListInferenceProfiles",
    "bedrock.GetInferenceProfile": "bedrock:GetInferenceProfile",
    "bedrock.ListFoundationModels": "bedrock:ListFoundationModels",
}
# Read-only by their names; TestEventPattern only evaluates a pattern against the event it is given.
READ_ONLY_PREFIXES = ("Get", "Describe", "List", "TestEventPattern")


def audit_calls(account: CompliantAccount) -> set[str]:
    """Every call of the audit: of the compliant account, then without the log stream (the audit then lists the
    bucket's log objects to tell whether calls were logged)."""
    called: set[str] = set()
    recording = True

    def record(event_name: str, **_: Any) -> None:
        _, service, operation = event_name.split(".")
        service = {"cloudwatch-logs": "logs", "eventbridge": "events"}.get(service, service)
        if recording:
            called.add(f"{service}.{operation}")

    account.session.register("before-call.*.*", record)
    settings = settings_of(audit_config(account=ACCOUNT))
    assert printed(audit, settings, flags(), session=account.session)[0] == 0
    recording = False
    account.client("logs").delete_log_stream(logGroupName=account.log_group, logStreamName=INVOCATION_LOG_STREAM)
    recording = True
    assert printed(audit, settings, flags(), session=account.session)[0] == 1
    return called


def catalog_check_calls() -> list[tuple[str, dict[str, Any]]]:
    """(service.operation, parameters) of each call the catalog check makes of a matching account: us-east-1 under
    `us`, Sonnet 4.6 routed as its AWS model card lists (us-east-1, us-east-2, us-west-2)."""
    sonnet, profile = "anthropic.claude-sonnet-4-6", "us.anthropic.claude-sonnet-4-6"
    account = RegionAccount({profile: (sonnet, ("us-east-1", "us-east-2", "us-west-2"))}, {sonnet: "ACTIVE"})
    bedrock = StubbedBedrock({"us-east-1": account}, routed=[profile])
    called: list[tuple[str, dict[str, Any]]] = []

    def record(event_name: str, params: dict[str, Any], **_: Any) -> None:
        called.append((".".join(event_name.split(".")[1:]), params))

    bedrock.clients["us-east-1"].meta.events.register("before-parameter-build.bedrock.*", record)
    config = load_config(
        {
            "regions": ["us-east-1"],
            "endpoint_scope": "us",
            "models": ["claude-sonnet-4-6"],
            "invoker_default_model": "claude-sonnet-4-6",
        },
        today=TODAY,
    )
    assert printed(catalog_check, settings_of(config), flags(), session=bedrock)[0] == 0
    bedrock.assert_no_pending_responses()
    return called


def policy() -> dict[str, Any]:
    return json.loads(POLICY_FILE.read_text())


def test_policy_grants_exactly_the_read_actions_the_audit_and_the_catalog_check_use(
    compliant_account: CompliantAccount,
) -> None:
    called = audit_calls(compliant_account)
    assert called == set(IAM_ACTION_OF), f"map each call to its IAM action: {called ^ set(IAM_ACTION_OF)}"
    checked = {operation for operation, _ in catalog_check_calls()}
    assert checked == set(CATALOG_CHECK_ACTION_OF), f"map each call: {checked ^ set(CATALOG_CHECK_ACTION_OF)}"
    needed = {IAM_ACTION_OF[operation] for operation in called} | set(CATALOG_CHECK_ACTION_OF.values())
    document = policy()
    granted = set()
    for statement in document["Statement"]:
        assert statement["Effect"] == "Allow"
        actions = statement["Action"]
        granted |= set(actions if isinstance(actions, list) else [actions])
    assert document["Version"] == "2012-10-17"
    assert granted == needed - {None}
    assert all(action.split(":")[1].startswith(READ_ONLY_PREFIXES) for action in granted)


AUDITOR = "arn:aws:iam::111122223333:role/ClaudeLoggingAudit"


def test_evaluation_allows_the_catalog_checks_reads_on_what_it_reads() -> None:
    auditor = Principal(AUDITOR, [policy()])
    calls = catalog_check_calls()
    profiles = [params["inferenceProfileIdentifier"] for name, params in calls if name == "bedrock.GetInferenceProfile"]
    assert profiles == ["us.anthropic.claude-sonnet-4-6"]
    # GetInferenceProfile is authorized on the profile's ARN in the source Region (its ID names the profile).
    for region, profile in [("us-east-1", profiles[0]), ("eu-west-3", "eu.anthropic.claude-sonnet-4-6"),
                            ("ap-southeast-2", "global.anthropic.claude-opus-4-7")]:  # fmt: skip
        resource = f"arn:aws:bedrock:{region}:111122223333:inference-profile/{profile}"
        assert allowed(auditor, "bedrock:GetInferenceProfile", resource)
    for action in ("bedrock:ListInferenceProfiles", "bedrock:ListFoundationModels"):
        assert allowed(auditor, action, "*")


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        (
            "bedrock:GetInferenceProfile",
            "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.amazon.nova-pro-v1:0",
        ),
        ("bedrock:GetInferenceProfile", "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3"),
        (
            "bedrock:InvokeModel",
            "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-sonnet-4-6",
        ),
        ("bedrock:GetFoundationModel", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6"),
    ],
    ids=["another-providers-profile", "application-profile", "invoke", "get-foundation-model"],
)
def test_evaluation_denies_what_the_catalog_check_does_not_read(action: str, resource: str) -> None:
    assert not allowed(Principal(AUDITOR, [policy()]), action, resource)


KEY = "arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
LOG_GROUP = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/bedrock/model-invocations/Logging/0b1c2d3e"
BUCKET = "arn:aws:s3:::claude-invocation-logs-bucket"


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        ("kms:DescribeKey", KEY),
        ("kms:GetKeyPolicy", KEY),
        ("kms:GetKeyRotationStatus", KEY),
        ("logs:DescribeLogStreams", LOG_GROUP),
        ("s3:ListBucket", BUCKET),
        ("s3:GetReplicationConfiguration", BUCKET),
        ("iam:ListServiceSpecificCredentials", "arn:aws:iam::111122223333:user/ci-deployer"),
        ("iam:ListUsers", "*"),
        ("ec2:DescribeRegions", "*"),
    ],
)
def test_evaluation_allows_the_audits_new_reads_on_what_they_read(action: str, resource: str) -> None:
    assert allowed(Principal(AUDITOR, [policy()]), action, resource)


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        # Reading a key's policy is not using the key: the logs stay unreadable to the auditor.
        ("kms:Decrypt", KEY),
        ("kms:PutKeyPolicy", KEY),
        # Listing the log objects' keys is not reading them.
        ("s3:GetObject", f"{BUCKET}/invocation-logs/AWSLogs/111122223333/BedrockModelInvocationLogs/a.json.gz"),
        ("logs:GetLogEvents", f"{LOG_GROUP}:log-stream:aws/bedrock/modelinvocations"),
        # Listing API keys is not making, resetting or deleting them.
        ("iam:CreateServiceSpecificCredential", "arn:aws:iam::111122223333:user/ci-deployer"),
        ("iam:ResetServiceSpecificCredential", "arn:aws:iam::111122223333:user/ci-deployer"),
        ("ec2:EnableRegion", "*"),
    ],
)
def test_evaluation_denies_what_the_new_reads_do_not_need(action: str, resource: str) -> None:
    assert not allowed(Principal(AUDITOR, [policy()]), action, resource)
