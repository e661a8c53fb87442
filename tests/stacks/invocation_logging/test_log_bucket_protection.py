"""Log objects cannot be forged or deleted by account principals: the synthesized bucket policy, resolved to a
sample account and evaluated by principalmapper (identity policy + bucket policy, explicit Deny first).

An account administrator (`*` on `*`) can neither put nor delete a log object, nor bypass governance retention;
Bedrock, acting as its service principal for this account and Region, still puts logs; the configured break-glass
principal, and only it, can delete.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.cfn_values import CfnValues
from tests.support.iam_evaluator import Principal, allowed, service_allowed
from tests.support.logical_ids import LOG_BUCKET
from tests.support.project import BREAK_GLASS_ROLE, SAMPLE_ACCOUNT
from tests.support.synth import Synth

EVERYTHING = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
ADMIN = Principal(f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/Administrator", [EVERYTHING])
TLS = {"aws:SecureTransport": "true", "s3:TlsVersion": "1.3"}
FORGING = ("s3:PutObject", "s3:ReplicateObject")
DELETING = ("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention")


def _bucket(synth: Synth) -> tuple[str, dict[str, Any], str]:
    """(bucket ARN, resolved bucket policy, the Region) of the synthesis's logging stack."""
    name = synth.stack_name("ClaudeInvocationLogging-")
    region = name.split("-", 1)[1]
    template = synth.templates[name]
    values = CfnValues(template, region=region)
    (policy,) = [
        r["Properties"]["PolicyDocument"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::S3::BucketPolicy" and r["Properties"]["Bucket"] == {"Ref": LOG_BUCKET}
    ]
    return values.arn(LOG_BUCKET), values.resolve(policy), region


@pytest.fixture(scope="module")
def default_bucket(default_synth: Synth) -> tuple[str, dict[str, Any], str]:
    return _bucket(default_synth)


def log_object(bucket: str, prefix: str = "invocation-logs") -> str:
    return f"{bucket}/{prefix}/AWSLogs/{SAMPLE_ACCOUNT}/BedrockModelInvocationLogs/us-east-1/2026/11/25/log.json.gz"


def can(principal: Principal, action: str, resource: str, policy: dict[str, Any]) -> bool:
    return allowed(principal, action, resource, TLS, resource_policy=policy, resource_owner=SAMPLE_ACCOUNT)


def bedrock_context(region: str) -> dict[str, str]:
    """What a delivery of Bedrock carries: its service principal's name and this account's source ARN."""
    return {
        **TLS,
        "aws:PrincipalServiceName": "bedrock.amazonaws.com",
        "aws:SourceAccount": SAMPLE_ACCOUNT,
        "aws:SourceArn": f"arn:aws:bedrock:{region}:{SAMPLE_ACCOUNT}:*",
    }


@pytest.mark.parametrize("prefix", ["invocation-logs", "large-payloads", "elsewhere"])
def test_an_administrator_can_neither_forge_nor_delete_a_log_object(
    default_bucket: tuple[str, dict[str, Any], str], prefix: str
) -> None:
    bucket, policy, _ = default_bucket
    for action in (*FORGING, *DELETING):
        assert not can(ADMIN, action, log_object(bucket, prefix), policy), action
    # The Deny is narrow: the administrator still reads logs and manages the bucket's configuration.
    assert can(ADMIN, "s3:GetObject", log_object(bucket, prefix), policy)
    assert can(ADMIN, "s3:GetLifecycleConfiguration", bucket, policy)


def test_without_the_bucket_policy_the_administrator_could(default_bucket: tuple[str, dict[str, Any], str]) -> None:
    """The evaluation can fail: the same requests against a policy without the denies are allowed."""
    bucket, policy, _ = default_bucket
    without = {
        **policy,
        "Statement": [s for s in policy["Statement"] if not str(s.get("Sid", "")).startswith("DenyLog")],
    }
    assert can(ADMIN, "s3:PutObject", log_object(bucket), without)
    assert can(ADMIN, "s3:DeleteObjectVersion", log_object(bucket), without)


def test_bedrock_still_delivers_logs_to_its_prefixes_only(default_bucket: tuple[str, dict[str, Any], str]) -> None:
    bucket, policy, region = default_bucket
    context = bedrock_context(region)

    def bedrock_may(action: str, resource: str, ctx: dict[str, str]) -> bool:
        return service_allowed("bedrock.amazonaws.com", action, resource, policy, SAMPLE_ACCOUNT, ctx)

    assert bedrock_may("s3:PutObject", log_object(bucket), context)
    assert bedrock_may("s3:PutObject", log_object(bucket, "large-payloads"), context)
    assert not bedrock_may("s3:PutObject", f"{bucket}/elsewhere/object", context)
    assert not bedrock_may("s3:DeleteObject", log_object(bucket), context)
    assert not bedrock_may("s3:PutObject", log_object(bucket), {**context, "aws:SourceAccount": "999988887777"})


def test_another_service_principal_cannot_write_either(default_bucket: tuple[str, dict[str, Any], str]) -> None:
    bucket, policy, _ = default_bucket
    context = {**TLS, "aws:PrincipalServiceName": "logging.s3.amazonaws.com"}
    assert not service_allowed(
        "logging.s3.amazonaws.com", "s3:PutObject", log_object(bucket), policy, SAMPLE_ACCOUNT, context
    )


def test_nobody_can_delete_without_a_break_glass_principal(default_bucket: tuple[str, dict[str, Any], str]) -> None:
    bucket, policy, _ = default_bucket
    nominal = Principal(BREAK_GLASS_ROLE, [EVERYTHING])
    assert not can(nominal, "s3:DeleteObjectVersion", log_object(bucket), policy)


def test_the_break_glass_principal_and_only_it_can_delete(every_option_synth: Synth) -> None:
    bucket, policy, _ = _bucket(every_option_synth)
    break_glass = Principal(BREAK_GLASS_ROLE, [EVERYTHING])
    for action in DELETING:
        assert can(break_glass, action, log_object(bucket), policy), action
        assert not can(ADMIN, action, log_object(bucket), policy), action
    # Break-glass deletes; it does not forge.
    assert not can(break_glass, "s3:PutObject", log_object(bucket), policy)


def test_the_bucket_keeps_its_lifecycle_expiry(default_synth: Synth) -> None:
    """Lifecycle expiry is S3's own action on internal endpoints, not a principal's DeleteObject (S3 user guide,
    "How S3 Lifecycle interacts with other bucket configurations"): the rules stay, and nothing denies them."""
    name = default_synth.stack_name("ClaudeInvocationLogging-")
    rules = default_synth.templates[name]["Resources"][LOG_BUCKET]["Properties"]["LifecycleConfiguration"]["Rules"]
    assert [(r["Id"], r.get("ExpirationInDays")) for r in rules] == [
        ("ExpireAfterRetention", 30),
        ("RemoveExpiredDeleteMarkers", None),
    ]
    _, policy, _ = _bucket(default_synth)
    denied = {a for s in policy["Statement"] if s["Effect"] == "Deny" for a in s["Action"] if a != "s3:*"}
    assert "s3:PutLifecycleConfiguration" not in denied  # the stack's own deployment sets it
