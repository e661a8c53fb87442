"""compliance/audit_policy.json grants exactly the read actions the audit calls, and nothing that writes.

The continuous audit function's role holds the same statements
(tests/stacks/invocation_logging/test_continuous_audit.py).
"""

from __future__ import annotations

import io
import json
from typing import Any

from compliance.audit.run import main
from tests.support.fake_account import ACCOUNT, CompliantAccount, audit_config
from tests.support.project import ROOT

POLICY_FILE = ROOT / "compliance" / "audit_policy.json"

# API operation the audit calls -> IAM action that authorizes it (Service Authorization Reference).
IAM_ACTION_OF = {
    "bedrock.GetModelInvocationLoggingConfiguration": "bedrock:GetModelInvocationLoggingConfiguration",
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
    "sts.GetCallerIdentity": None,  # needs no permission
}
# Read-only by their names; TestEventPattern only evaluates a pattern against the event it is given.
READ_ONLY_PREFIXES = ("Get", "Describe", "List", "TestEventPattern")


def test_policy_grants_exactly_the_read_actions_the_audit_uses(compliant_account: CompliantAccount) -> None:
    called: set[str] = set()

    def record(event_name: str, **_: Any) -> None:
        _, service, operation = event_name.split(".")
        service = {"cloudwatch-logs": "logs", "eventbridge": "events"}.get(service, service)
        called.add(f"{service}.{operation}")

    compliant_account.session.register("before-call.*.*", record)
    assert main(audit_config(account=ACCOUNT), compliant_account.session, io.StringIO()) == 0

    assert called == set(IAM_ACTION_OF), f"map each call to its IAM action: {called ^ set(IAM_ACTION_OF)}"
    needed = {IAM_ACTION_OF[operation] for operation in called} - {None}
    policy = json.loads(POLICY_FILE.read_text())
    granted = set()
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        actions = statement["Action"]
        granted |= set(actions if isinstance(actions, list) else [actions])
    assert policy["Version"] == "2012-10-17"
    assert granted == needed
    assert all(action.split(":")[1].startswith(READ_ONLY_PREFIXES) for action in granted)
