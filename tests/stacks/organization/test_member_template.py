"""The member baseline: the single-account constructs, in one template for every account and Region, with no asset.

Read from the shared organization synthesis (tests/conftest.py ORGANIZATION_CONTEXT: us-east-1 and eu-west-1, the
invocation policy, a central archive, the audit role).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_lambda as lambda_

from core.organization.rollout import MEMBER_STACK_NAME, REPLICATION_ROLE_PATH
from stacks.invocation_logging.configuration import PROVIDER_CODE
from stacks.organization.member import MemberBaselineStack, member_baseline_props
from stacks.shared.inline_code import inline_source
from tests.support import logical_ids as ids
from tests.support.cfn_values import CfnValues
from tests.support.project import (
    ARCHIVE_ACCOUNT,
    ARCHIVE_BUCKET_ARN,
    ARCHIVE_KEY_ARN,
    FEATURE_FLAGS,
    ROOT,
    config_for,
)
from tests.support.synth import Synth
from tests.support.templates import cfn_lint_findings, statement

MEMBER_ACCOUNT = "210987654321"
REGIONS = ("us-east-1", "eu-west-1")
AUDIT_POLICY = ROOT / "compliance" / "audit_policy.json"
# What the single-account logging stack holds that the member baseline keeps, under the same logical IDs.
LOGGING_RESOURCES = {
    ids.LOG_KEY: "AWS::KMS::Key",
    ids.LOG_BUCKET: "AWS::S3::Bucket",
    ids.ACCESS_LOG_BUCKET: "AWS::S3::Bucket",
    ids.LOG_GROUP: "AWS::Logs::LogGroup",
    ids.PROVIDER_LOG_GROUP: "AWS::Logs::LogGroup",
    ids.DELIVERY_ROLE: "AWS::IAM::Role",
    ids.CONFIGURATION_RESOURCE: "Custom::BedrockModelInvocationLogging",
    ids.PROVIDER_FUNCTION: "AWS::Lambda::Function",
    ids.ALARM_TOPIC_KEY: "AWS::KMS::Key",
    ids.LOGGING_ALARM_TOPIC: "AWS::SNS::Topic",
    ids.TAMPER_RULE: "AWS::Events::Rule",
    ids.REPLICATION_ROLE: "AWS::IAM::Role",
}


@pytest.fixture(scope="module")
def member(organization_synth: Synth) -> dict[str, Any]:
    return organization_synth.templates[MEMBER_STACK_NAME]


def resources_of(template: dict[str, Any], kind: str) -> dict[str, Any]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == kind}


def in_region(member: dict[str, Any], region: str) -> CfnValues:
    """Intrinsics as a StackSet instance in `region` of a member account resolves them."""
    stack = f"StackSet-claude-on-bedrock-member-baseline-{region}"
    return CfnValues(member, region=region, account=MEMBER_ACCOUNT, stack_name=stack)


def test_no_asset_bootstrap_version_or_asset_bucket_is_referenced(
    member: dict[str, Any], organization_synth: Synth
) -> None:
    text = json.dumps(member)
    assert "Parameters" not in member and "Rules" not in member  # no BootstrapVersion, no CheckBootstrapVersion
    for forbidden in ("cdk-hnb659fds", "AssetParameters", "BootstrapVersion", "cdk-assets", "TemplateURL"):
        assert forbidden not in text
    # No code, layer or nested template from a bucket.
    assert not [
        k for k, r in member["Resources"].items() if {"S3Bucket", "S3Key"} & set(r["Properties"].get("Code", {}))
    ]
    assert not resources_of(member, "AWS::Lambda::LayerVersion") and not resources_of(
        member, "AWS::CloudFormation::Stack"
    )
    # The member's own cloud assembly has no asset manifest: nothing to publish to a member account.
    assembly = organization_synth.outdir / "member-baseline"
    manifest = json.loads((assembly / "manifest.json").read_text())
    kinds = {a["type"] for a in manifest["artifacts"].values()}
    assert "aws:cloudformation:stack" in kinds and "cdk:asset-manifest" not in kinds
    assert not list(assembly.glob("*.assets.json")) and not list(assembly.glob("asset.*"))


def test_every_function_is_inline_and_the_provider_is_its_own_code(member: dict[str, Any]) -> None:
    functions = resources_of(member, "AWS::Lambda::Function")
    assert list(functions) == [ids.PROVIDER_FUNCTION]  # no continuous audit: its package is a file asset
    properties = functions[ids.PROVIDER_FUNCTION]["Properties"]
    assert properties["Code"] == {"ZipFile": inline_source(PROVIDER_CODE)}
    assert (properties["Handler"], properties["Runtime"]) == ("index.handler", "python3.14")


def test_a_file_asset_in_the_member_baseline_fails_synthesis() -> None:
    """BootstraplessSynthesizer is the guard: a construct that adds a file asset cannot reach a member account."""
    app = cdk.App(context=FEATURE_FLAGS)
    stack = MemberBaselineStack(
        app, "Probe", props=member_baseline_props(config_for(organization_targets=["r-ab12"]), ())
    )
    with pytest.raises(RuntimeError, match="Cannot add assets to a Stack that uses the BootstraplessSynthesizer"):
        lambda_.Function(
            stack,
            "WithAsset",
            runtime=lambda_.Runtime.PYTHON_3_14,
            handler="index.handler",
            code=lambda_.Code.from_asset(str(PROVIDER_CODE.parent)),
        )
        app.synth()


def test_the_logging_resources_are_the_logging_stacks_own(member: dict[str, Any]) -> None:
    found = {k: r["Type"] for k, r in member["Resources"].items() if k in LOGGING_RESOURCES}
    assert found == LOGGING_RESOURCES
    assert not resources_of(member, "AWS::Scheduler::Schedule")
    assert not [
        r for r in resources_of(member, "AWS::Events::Rule").values() if "ScheduleExpression" in r["Properties"]
    ]


def test_logs_are_kept_at_least_30_days(member: dict[str, Any]) -> None:
    groups = resources_of(member, "AWS::Logs::LogGroup")
    assert len(groups) == 2 and all(g["Properties"]["RetentionInDays"] >= 30 for g in groups.values())
    for bucket_id in (ids.LOG_BUCKET, ids.ACCESS_LOG_BUCKET):
        rules = member["Resources"][bucket_id]["Properties"]["LifecycleConfiguration"]["Rules"]
        (expiry,) = [rule for rule in rules if rule["Id"] == "ExpireAfterRetention"]
        assert expiry["ExpirationInDays"] >= 30


def test_one_template_serves_every_region(member: dict[str, Any]) -> None:
    """Only the per-Region copies of the invocation policy (and their conditions and outputs) name a Region;
    everything else reads AWS::Region, so each instance names its own Region."""
    unconditional = {k: r for k, r in member["Resources"].items() if "Condition" not in r}
    assert not re.search(r"(us-east-1|eu-west-1)", json.dumps(unconditional))
    key_policy = member["Resources"][ids.LOG_KEY]["Properties"]["KeyPolicy"]
    bedrock = statement(key_policy, "AllowBedrockToWriteInvocationLogsOfThisAccountAndRegion")
    logs = statement(key_policy, "AllowCloudWatchLogsForTheInvocationLogGroupsOnly")
    for region in REGIONS:
        values = in_region(member, region)
        assert values.resolve(bedrock["Condition"]) == {
            "StringEquals": {"aws:SourceAccount": MEMBER_ACCOUNT},
            "ArnLike": {"aws:SourceArn": f"arn:aws:bedrock:{region}:{MEMBER_ACCOUNT}:*"},
        }
        assert values.resolve(logs["Principal"]) == {"Service": f"logs.{region}.amazonaws.com"}


def test_each_region_gets_the_invocation_policy_of_the_access_stack_of_that_region(
    member: dict[str, Any], default_synth: Synth
) -> None:
    conditions = member["Conditions"]
    single_account = default_synth.template("ClaudeInvocationAccess-us-east-1").to_json()["Resources"]
    (expected,) = [r for r in single_account.values() if r["Type"] == "AWS::IAM::ManagedPolicy"]
    for region in REGIONS:
        condition = "In" + "".join(part.capitalize() for part in region.split("-"))
        assert conditions[condition] == {"Fn::Equals": [{"Ref": "AWS::Region"}, region]}
        (policy,) = [
            r
            for k, r in resources_of(member, "AWS::IAM::ManagedPolicy").items()
            if k.startswith(f"ClaudeAccess{condition[2:]}InvokePolicy")
        ]
        assert policy["Condition"] == condition
        profiles = json.dumps(policy["Properties"]["PolicyDocument"])
        assert f"arn:aws:bedrock:{region}:" in profiles
        if region == "us-east-1":  # the same construct with the same plan: the same document
            assert policy["Properties"]["PolicyDocument"] == expected["Properties"]["PolicyDocument"]


def test_the_audit_role_exists_once_per_account_with_the_auditors_policy(member: dict[str, Any]) -> None:
    (role,) = [r for k, r in resources_of(member, "AWS::IAM::Role").items() if k.startswith("LoggingAuditRole")]
    assert role["Condition"] == "InUsEast1"  # the first Region only: IAM is global
    assert role["Properties"]["RoleName"] == "ClaudeLoggingAudit"
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:role/OrganizationAuditor"},
        }
    ]
    (policy_ref,) = role["Properties"]["ManagedPolicyArns"]
    policy = member["Resources"][policy_ref["Ref"]]
    assert policy["Condition"] == "InUsEast1"
    # The auditor's policy with the partition of the account it is deployed in, less the catalog check's reads
    # (the organization audit never lists inference profiles or models).
    resolved = in_region(member, "us-east-1").resolve(policy["Properties"]["PolicyDocument"])
    every = json.loads(AUDIT_POLICY.read_text())
    assert resolved == {
        **every,
        "Statement": [s for s in every["Statement"] if not s["Sid"].startswith("CatalogCheck")],
    }
    assert len(resolved["Statement"]) == len(every["Statement"]) - 2


def test_members_replicate_both_prefixes_to_the_archive_with_a_predictable_role_path(member: dict[str, Any]) -> None:
    role = member["Resources"][ids.REPLICATION_ROLE]["Properties"]
    assert role["Path"] == REPLICATION_ROLE_PATH
    rules = member["Resources"][ids.LOG_BUCKET]["Properties"]["ReplicationConfiguration"]["Rules"]
    assert [rule["Filter"]["Prefix"] for rule in rules] == ["invocation-logs/", "large-payloads/"]
    for rule in rules:
        assert rule["Destination"] == {
            "Bucket": ARCHIVE_BUCKET_ARN,
            "EncryptionConfiguration": {"ReplicaKmsKeyID": ARCHIVE_KEY_ARN},
            "Account": ARCHIVE_ACCOUNT,
            "AccessControlTranslation": {"Owner": "Destination"},
        }
        assert rule["DeleteMarkerReplication"] == {"Status": "Disabled"}
        assert rule["SourceSelectionCriteria"] == {"SseKmsEncryptedObjects": {"Status": "Enabled"}}


def test_every_rule_pack_passes_with_the_constructs_own_acknowledgements(
    organization_synth: Synth, member: dict[str, Any]
) -> None:
    assert organization_synth.violations == []
    acknowledged = member["Resources"][ids.PROVIDER_FUNCTION]["Metadata"]["cdk_nag"]["rules_to_suppress"]
    assert {"HIPAA.Security-LambdaDLQ", "NIST.800.53.R5-LambdaConcurrency"} <= {rule["id"] for rule in acknowledged}


@pytest.mark.parametrize("region", REGIONS)
def test_cfn_lint_finds_nothing_in_the_member_template(member: dict[str, Any], region: str) -> None:
    assert cfn_lint_findings(member, region) == []


LEAN_PROBE = """
import json, sys
from pathlib import Path
from stacks.organization.member import synthesize_member
from tests.support.project import FEATURE_FLAGS, config_for
member = synthesize_member(config_for(organization_targets=["r-ab12"]), (), Path(sys.argv[1]), FEATURE_FLAGS)
print(json.dumps(member.template))
"""


def test_under_the_cdk_cli_the_member_template_stays_lean(tmp_path: Path) -> None:
    """The CLI turns path metadata and version reporting on for every app (CDK_CONTEXT_JSON, read when jsii starts:
    a process of its own); the member baseline keeps both off: they only add bytes to a template with a size
    limit."""
    cli_context = {"aws:cdk:enable-path-metadata": True, "aws:cdk:version-reporting": True}
    # Without CDK's own CloudFormation validation (seconds of WebAssembly set-up in a new process, nothing to do with
    # metadata): the same member baseline is validated where tests/stacks/organization/test_stack_set.py
    # synthesizes it in-process (defaults_synth).
    validation_off = {"CDK_VALIDATION": "false"}
    result = subprocess.run(
        [sys.executable, "-c", LEAN_PROBE, str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "CDK_CONTEXT_JSON": json.dumps(cli_context), **validation_off},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    template = json.loads(result.stdout)
    assert "aws:cdk:path" not in result.stdout
    assert not resources_of(template, "AWS::CDK::Metadata") and "Conditions" not in template
