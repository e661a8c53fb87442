"""Under the organization's policies (`python app.py scp`, as the organization stack deploys them), evaluated by
principalmapper with the synthesized policies, as an attacker with AdministratorAccess in a member account would try:

- no exemption can be borrowed: for every exempt pattern, each step of creating or taking over a matching role is
  denied, and only the project's roles may change the managed settings (the CDK execution role included: it never
  calls Bedrock);
- no unlogged path: outside the approved Regions every call is denied in both scopes, the routed legs of calls made
  from an approved Region excepted; batch jobs, agents, flows, bedrock-mantle and API keys are denied by default;
- the project's tagged resources and its log objects are changed only by the deployment (or the break-glass
  principal for log objects).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import botocore.session
import pytest

from compliance.policies import print_scp
from core.organization.policies import organization_policies
from tests.support.cfn_values import CfnValues
from tests.support.iam_evaluator import Principal, allowed
from tests.support.logical_ids import ACCESS_POLICY, PROVIDER_FUNCTION
from tests.support.project import SAMPLE_ACCOUNT, config_for
from tests.support.synth import Synth

REGION = "us-east-1"
EVERYTHING = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
ADMIN = Principal(f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/Administrator", [EVERYTHING])
CDK_EXECUTION = Principal(
    f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-{SAMPLE_ACCOUNT}-{REGION}", [EVERYTHING]
)
IN_REGION = {"aws:RequestedRegion": REGION}
CONFIGURATION_CALLS = (
    "bedrock:PutModelInvocationLoggingConfiguration",
    "bedrock:DeleteModelInvocationLoggingConfiguration",
)
RETENTION_CALLS = ("bedrock:PutAccountDataRetention", "bedrock-mantle:PutAccountDataRetention")
# Each step that would let an administrator create a role matching an exemption, or make one act for them.
TAKEOVER_STEPS = (
    "iam:CreateRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:PassRole",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteRole",
    "iam:TagRole",
    "iam:UntagRole",
)
# The Regions of the commercial partition, from botocore's endpoint data (not from the project's catalog).
PARTITION_REGIONS = next(
    p for p in botocore.session.get_session().get_data("endpoints")["partitions"] if p["partition"] == "aws"
)["regions"]


def printed_scps(capsys: pytest.CaptureFixture[str], **context: Any) -> list[dict[str, Any]]:
    """What `python app.py scp` prints for the configuration, as a list of policies."""
    assert print_scp(config_for(**context)) == 0
    printed = json.loads(capsys.readouterr().out)
    return printed if isinstance(printed, list) else [printed]


@pytest.fixture
def scps(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return printed_scps(capsys)


def provider_role(synth: Synth) -> Principal:
    """The configuration provider's role, with its path, holding its synthesized policy."""
    name = synth.stack_name("ClaudeInvocationLogging-")
    template = synth.templates[name]
    values = CfnValues(template, region=REGION, stack_name=name)
    role_id = template["Resources"][PROVIDER_FUNCTION]["Properties"]["Role"]["Fn::GetAtt"][0]
    role = template["Resources"][role_id]["Properties"]
    (policy,) = role["ManagedPolicyArns"]
    document = values.resolve(template["Resources"][policy["Ref"]]["Properties"]["PolicyDocument"])
    return Principal(f"arn:aws:iam::{SAMPLE_ACCOUNT}:role{role['Path']}{values.physical_name(role_id)}", [document])


def role_an_attacker_would_create(pattern: str) -> str:
    """A role ARN in the sample account that matches the exempt `pattern`, with a name of the attacker's choosing."""
    partition, account_and_rest = pattern.removeprefix("arn:").split(":iam::", 1)
    rest = account_and_rest.split(":", 1)[1]
    return f"arn:{'aws' if partition == '*' else partition}:iam::{SAMPLE_ACCOUNT}:{rest.replace('*', 'attacker')}"


ORGANIZATION = {
    "regions": ["us-east-1", "eu-west-1"],
    "organization_targets": ["ou-ab12-cd34ef56"],
    "scp_logging_admin_arns": ["arn:*:iam::*:role/Bootstrapper"],
}


def exempt_patterns(policies: Iterable[dict[str, Any]]) -> list[str]:
    """Every `aws:PrincipalArn` pattern a statement of the policies exempts from its Deny."""
    return sorted(
        {
            pattern
            for policy in policies
            for statement in policy["Statement"]
            for operator, keys in statement.get("Condition", {}).items()
            if operator.startswith("Arn") and "Not" in operator
            for pattern in _as_list(keys.get("aws:PrincipalArn", []))
        }
    )


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


# Read from the policies as printed (and deployed), with and without the rollout.
EXEMPT_PATTERNS = exempt_patterns(
    [
        *organization_policies(config_for()).service_control,
        *organization_policies(config_for(**ORGANIZATION)).service_control,
    ]
)


def test_the_exempt_patterns_are_the_deployment_roles_and_the_projects_path() -> None:
    assert EXEMPT_PATTERNS == [
        "arn:*:iam::*:role/Bootstrapper",
        "arn:*:iam::*:role/cdk-hnb659fds-cfn-exec-role-*-eu-west-1",
        "arn:*:iam::*:role/cdk-hnb659fds-cfn-exec-role-*-us-east-1",
        "arn:*:iam::*:role/cdk-hnb659fds-deploy-role-*-eu-west-1",
        "arn:*:iam::*:role/cdk-hnb659fds-deploy-role-*-us-east-1",
        "arn:*:iam::*:role/claude-on-bedrock/*",
        "arn:*:iam::*:role/stacksets-exec-*",
    ]


@pytest.mark.parametrize("pattern", EXEMPT_PATTERNS)
def test_an_administrator_can_take_over_no_exempt_role(capsys: pytest.CaptureFixture[str], pattern: str) -> None:
    scps = printed_scps(capsys, **ORGANIZATION)
    role = role_an_attacker_would_create(pattern)
    for step in TAKEOVER_STEPS:
        assert allowed(ADMIN, step, role, IN_REGION)  # without the SCPs, it could
        assert not allowed(ADMIN, step, role, IN_REGION, scps=scps), (step, role)
        # The deployment still can: it creates and updates the project's roles.
        assert allowed(CDK_EXECUTION, step, role, IN_REGION, scps=scps), (step, role)


def test_the_borrowable_patterns_of_earlier_versions_exempt_nobody(scps: list[dict[str, Any]]) -> None:
    """An administrator's own `cdk-x-cfn-exec-role-attacker` (any qualifier) is nobody special any more."""
    lookalike = Principal(f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/cdk-x-cfn-exec-role-attacker", [EVERYTHING])
    for action in (*CONFIGURATION_CALLS, *RETENTION_CALLS):
        assert not allowed(lookalike, action, "*", IN_REGION, scps=scps), action
    project_role = f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/claude-on-bedrock/ClaudeInvocationLogging-Provider-ABC"
    assert not allowed(lookalike, "iam:PassRole", project_role, IN_REGION, scps=scps)
    # Other roles are the administrator's as before.
    assert allowed(ADMIN, "iam:PassRole", f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/app", IN_REGION, scps=scps)


def test_only_the_projects_roles_change_the_managed_settings(default_synth: Synth, scps: list[dict[str, Any]]) -> None:
    provider = provider_role(default_synth)
    assert provider.arn.startswith(f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/claude-on-bedrock/")
    assert allowed(provider, CONFIGURATION_CALLS[0], "*", IN_REGION, scps=scps)
    project_role = Principal(
        f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/claude-on-bedrock/DataRetentionProvider", [EVERYTHING]
    )
    for action in (*CONFIGURATION_CALLS, *RETENTION_CALLS):
        assert allowed(ADMIN, action, "*", IN_REGION)  # without the SCPs, it could
        assert not allowed(ADMIN, action, "*", IN_REGION, scps=scps), action
        # The CDK execution role never calls Bedrock: it needs no exemption, and has none.
        assert not allowed(CDK_EXECUTION, action, "*", IN_REGION, scps=scps), action
        # bedrock-mantle as a whole stays denied by default (DenyUnloggedBedrockEndpoint), its setting included.
        # A mode is put only with the configured mode (none) or a stricter one (DenyOtherDataRetentionModes).
        context = {**IN_REGION, "bedrock:DataRetentionMode": "none"}
        assert allowed(project_role, action, "*", context, scps=scps) == action.startswith("bedrock:"), action
    looser = {**IN_REGION, "bedrock:DataRetentionMode": "aws_review"}
    assert not allowed(project_role, "bedrock:PutAccountDataRetention", "*", looser, scps=scps)
    assert not allowed(project_role, "bedrock:PutAccountDataRetention", "*", IN_REGION, scps=scps)  # mode unnamed


def test_the_deploy_roles_can_be_kept_to_named_principals(capsys: pytest.CaptureFixture[str]) -> None:
    pipeline = Principal(f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/pipeline", [EVERYTHING])
    deploy_role = f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/cdk-hnb659fds-deploy-role-{SAMPLE_ACCOUNT}-{REGION}"
    scps = printed_scps(capsys, scp_deploy_role_principals=[pipeline.arn])
    assert allowed(pipeline, "sts:AssumeRole", deploy_role, IN_REGION, scps=scps)
    assert not allowed(ADMIN, "sts:AssumeRole", deploy_role, IN_REGION, scps=scps)
    assert allowed(ADMIN, "sts:AssumeRole", deploy_role, IN_REGION, scps=printed_scps(capsys))


def _invoke_policy(synth: Synth, region: str) -> Principal:
    template = synth.templates[synth.stack_name("ClaudeInvocationAccess-")]
    policy = CfnValues(template, region=region).resolve(
        template["Resources"][ACCESS_POLICY]["Properties"]["PolicyDocument"]
    )
    return Principal(f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/caller", [policy])


def test_global_scope_admits_the_profile_from_approved_regions_only(
    default_synth: Synth, scps: list[dict[str, Any]]
) -> None:
    caller = _invoke_policy(default_synth, REGION)
    model = "arn:aws:bedrock:::foundation-model/anthropic.claude-haiku-5-5"

    def profile(region: str) -> str:
        return f"arn:aws:bedrock:{region}:{SAMPLE_ACCOUNT}:inference-profile/global.anthropic.claude-haiku-5-5"

    assert allowed(caller, "bedrock:InvokeModel", profile(REGION), IN_REGION, scps=scps)
    routed = {"aws:RequestedRegion": "unspecified", "bedrock:InferenceProfileArn": profile(REGION)}
    assert allowed(caller, "bedrock:InvokeModel", model, routed, scps=scps)
    # The model directly, outside the profile, stays denied.
    assert not allowed(caller, "bedrock:InvokeModel", model, {"aws:RequestedRegion": "unspecified"}, scps=scps)
    others = [r for r in PARTITION_REGIONS if r != REGION]
    assert len(others) > 30
    for region in others:
        entered = {"aws:RequestedRegion": region, "bedrock:InferenceProfileArn": profile(region)}
        assert allowed(ADMIN, "bedrock:InvokeModel", profile(region), entered)  # without the SCPs, it could
        assert not allowed(ADMIN, "bedrock:InvokeModel", profile(region), entered, scps=scps), region
        leg = {"aws:RequestedRegion": "unspecified", "bedrock:InferenceProfileArn": profile(region)}
        assert not allowed(ADMIN, "bedrock:InvokeModel", model, leg, scps=scps), region


def test_geographic_scope_admits_its_profile_from_approved_regions_and_their_routed_legs(
    every_option_synth: Synth, capsys: pytest.CaptureFixture[str]
) -> None:
    """EVERY_OPTION_CONTEXT: eu from eu-west-1. A routed leg runs in a destination Region of the geography with the
    source Region's profile; a call made from that destination Region is denied."""
    scps = printed_scps(
        capsys,
        endpoint_scope="eu",
        regions=["eu-west-1"],
        models=["claude-sonnet-4-6"],
        invoker_default_model="claude-sonnet-4-6",
    )
    caller = _invoke_policy(every_option_synth, "eu-west-1")

    def profile(region: str) -> str:
        return f"arn:aws:bedrock:{region}:{SAMPLE_ACCOUNT}:inference-profile/eu.anthropic.claude-sonnet-4-6"

    assert allowed(caller, "bedrock:InvokeModel", profile("eu-west-1"), {"aws:RequestedRegion": "eu-west-1"}, scps=scps)
    model = "arn:aws:bedrock:eu-west-3::foundation-model/anthropic.claude-sonnet-4-6"
    leg = {"aws:RequestedRegion": "eu-west-3", "bedrock:InferenceProfileArn": profile("eu-west-1")}
    assert allowed(caller, "bedrock:InvokeModel", model, leg, scps=scps)
    for region in [r for r in PARTITION_REGIONS if r != "eu-west-1"]:
        entered = {"aws:RequestedRegion": region, "bedrock:InferenceProfileArn": profile(region)}
        assert not allowed(ADMIN, "bedrock:InvokeModel", profile(region), entered, scps=scps), region


@pytest.mark.parametrize(
    "action",
    [
        "bedrock:CreateModelInvocationJob",
        "bedrock:InvokeAgent",
        "bedrock:InvokeInlineAgent",
        "bedrock:InvokeFlow",
        "bedrock:StartFlowExecution",
        "bedrock:RetrieveAndGenerate",
    ],
)
def test_inference_outside_invocation_logging_is_denied_unless_allowed(
    capsys: pytest.CaptureFixture[str], action: str
) -> None:
    assert not allowed(ADMIN, action, "*", IN_REGION, scps=printed_scps(capsys))
    allowing = printed_scps(capsys, scp_allow_unlogged_inference=[action.split(":")[1]])
    assert allowed(ADMIN, action, "*", IN_REGION, scps=allowing)


def test_the_unlogged_endpoint_and_api_keys_are_denied(scps: list[dict[str, Any]]) -> None:
    project = f"arn:aws:bedrock-mantle:{REGION}:{SAMPLE_ACCOUNT}:project/proj_abc123"
    assert not allowed(ADMIN, "bedrock-mantle:CreateInference", project, IN_REGION, scps=scps)
    for action in ("bedrock:CallWithBearerToken", "bedrock-mantle:CallWithBearerToken"):
        assert not allowed(ADMIN, action, "*", IN_REGION, scps=scps), action
    bedrock_keys = {**IN_REGION, "iam:ServiceSpecificCredentialServiceName": "bedrock.amazonaws.com"}
    user = f"arn:aws:iam::{SAMPLE_ACCOUNT}:user/someone"
    assert not allowed(ADMIN, "iam:CreateServiceSpecificCredential", user, bedrock_keys, scps=scps)


def test_what_the_configuration_allows_stays_allowed(capsys: pytest.CaptureFixture[str]) -> None:
    scps = printed_scps(capsys, scp_allow_unlogged_endpoint=True, scp_deny_api_keys=False)
    project = f"arn:aws:bedrock-mantle:{REGION}:{SAMPLE_ACCOUNT}:project/proj_abc123"
    assert allowed(ADMIN, "bedrock-mantle:CreateInference", project, IN_REGION, scps=scps)
    assert allowed(ADMIN, "bedrock:CallWithBearerToken", "*", IN_REGION, scps=scps)
    assert not allowed(ADMIN, CONFIGURATION_CALLS[0], "*", IN_REGION, scps=scps)
    # With the endpoint open, its data retention setting is still the project's roles' only.
    assert not allowed(ADMIN, "bedrock-mantle:PutAccountDataRetention", "*", IN_REGION, scps=scps)
    project_role = Principal(f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/claude-on-bedrock/Provider", [EVERYTHING])
    assert allowed(project_role, "bedrock-mantle:PutAccountDataRetention", "*", IN_REGION, scps=scps)


TAGGED = {**IN_REGION, "aws:ResourceTag/project": "claude-on-bedrock"}
# One blinding or destroying step per kind of resource the project tags, on a resource of that kind.
BLIND_OR_DESTROY = [
    ("s3:PutBucketPolicy", "arn:aws:s3:::claudeinvocationlogging-invocationlogbucket"),
    ("s3:PutLifecycleConfiguration", "arn:aws:s3:::claudeinvocationlogging-invocationlogbucket"),
    ("s3:PutBucketVersioning", "arn:aws:s3:::claudeinvocationlogging-invocationlogbucket"),
    ("kms:ScheduleKeyDeletion", f"arn:aws:kms:{REGION}:{SAMPLE_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    ("kms:DisableKey", f"arn:aws:kms:{REGION}:{SAMPLE_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    ("kms:PutKeyPolicy", f"arn:aws:kms:{REGION}:{SAMPLE_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    ("logs:DeleteLogStream", f"arn:aws:logs:{REGION}:{SAMPLE_ACCOUNT}:log-group:/aws/bedrock/x:log-stream:y"),
    ("logs:PutRetentionPolicy", f"arn:aws:logs:{REGION}:{SAMPLE_ACCOUNT}:log-group:/aws/bedrock/x"),
    ("events:DisableRule", f"arn:aws:events:{REGION}:{SAMPLE_ACCOUNT}:rule/LoggingTamperRule"),
    ("events:RemoveTargets", f"arn:aws:events:{REGION}:{SAMPLE_ACCOUNT}:rule/LoggingTamperRule"),
    ("cloudwatch:DeleteAlarms", f"arn:aws:cloudwatch:{REGION}:{SAMPLE_ACCOUNT}:alarm:delivery-failure"),
    ("cloudwatch:DisableAlarmActions", f"arn:aws:cloudwatch:{REGION}:{SAMPLE_ACCOUNT}:alarm:delivery-failure"),
    ("sns:DeleteTopic", f"arn:aws:sns:{REGION}:{SAMPLE_ACCOUNT}:logging-alarms"),
    ("lambda:UpdateFunctionCode", f"arn:aws:lambda:{REGION}:{SAMPLE_ACCOUNT}:function:provider"),
    ("lambda:UpdateFunctionConfiguration", f"arn:aws:lambda:{REGION}:{SAMPLE_ACCOUNT}:function:provider"),
    ("lambda:AddPermission", f"arn:aws:lambda:{REGION}:{SAMPLE_ACCOUNT}:function:provider"),
    ("lambda:PublishVersion", f"arn:aws:lambda:{REGION}:{SAMPLE_ACCOUNT}:function:provider"),
    ("iam:UpdateAssumeRolePolicy", f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/ClaudeInvocationLogging-DeliveryRole"),
]


@pytest.mark.parametrize(("action", "arn"), BLIND_OR_DESTROY, ids=[a for a, _ in BLIND_OR_DESTROY])
def test_only_the_deployment_blinds_or_destroys_a_tagged_resource(
    scps: list[dict[str, Any]], action: str, arn: str
) -> None:
    assert allowed(ADMIN, action, arn, TAGGED)  # without the SCPs, it could
    assert not allowed(ADMIN, action, arn, TAGGED, scps=scps)
    assert allowed(CDK_EXECUTION, action, arn, TAGGED, scps=scps)
    # Resources that are not the project's stay the administrator's.
    assert allowed(ADMIN, action, arn, {**IN_REGION, "aws:ResourceTag/project": "another"}, scps=scps)


def test_only_the_break_glass_principal_deletes_a_log_object(capsys: pytest.CaptureFixture[str]) -> None:
    break_glass = Principal(f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/LogBreakGlass", [EVERYTHING])
    scps = printed_scps(capsys, log_break_glass_principal=break_glass.arn)
    log = "arn:aws:s3:::any-bucket/invocation-logs/AWSLogs/111122223333/BedrockModelInvocationLogs/us-east-1/x.json.gz"
    large = "arn:aws:s3:::any-bucket/large-payloads/AWSLogs/111122223333/BedrockModelInvocationLogs/us-east-1/y"
    for action in ("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention"):
        for obj in (log, large):
            assert not allowed(ADMIN, action, obj, IN_REGION, scps=scps), (action, obj)
            assert not allowed(CDK_EXECUTION, action, obj, IN_REGION, scps=scps), (action, obj)
            assert allowed(break_glass, action, obj, IN_REGION, scps=scps), (action, obj)
        assert allowed(ADMIN, action, "arn:aws:s3:::any-bucket/reports/x.csv", IN_REGION, scps=scps)


def _as_scps(rcps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A resource control policy evaluated as the same Deny statements without `Principal` ("*" in every RCP): the
    evaluator has no RCP level, and an RCP's Deny binds every principal acting on the resource as an SCP's binds the
    principals of its accounts."""
    return [
        {**policy, "Statement": [{k: v for k, v in s.items() if k != "Principal"} for s in policy["Statement"]]}
        for policy in rcps
    ]


def test_resource_control_policies_keep_outsiders_away_from_the_projects_keys_and_buckets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert print_scp(config_for(organization_id="o-a1b2c3d4e5"), resource_control=True) == 0
    rcps = _as_scps([json.loads(capsys.readouterr().out)])
    key = f"arn:aws:kms:{REGION}:{SAMPLE_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    outsider = Principal("arn:aws:iam::999988887777:role/reader", [EVERYTHING])
    outside = {**TAGGED, "aws:PrincipalOrgID": "o-zzzzzzzzzz", "aws:PrincipalIsAWSService": "false"}
    inside = {**outside, "aws:PrincipalOrgID": "o-a1b2c3d4e5"}
    # A key policy that names an outside reader does not let it decrypt the logs.
    assert not allowed(outsider, "kms:Decrypt", key, outside, scps=rcps)
    assert allowed(ADMIN, "kms:Decrypt", key, inside, scps=rcps)
    # AWS services acting as themselves (Bedrock writing logs) are not principals of an account.
    service = Principal("arn:aws:iam::999988887777:role/service", [EVERYTHING])
    assert allowed(service, "kms:GenerateDataKey", key, {**TAGGED, "aws:PrincipalIsAWSService": "true"}, scps=rcps)
    # Nobody outside the deployment blinds a tagged key or bucket, from any account, the management account included.
    management = Principal("arn:aws:iam::000011112222:role/OrganizationAdmin", [EVERYTHING])
    assert not allowed(management, "kms:ScheduleKeyDeletion", key, inside, scps=rcps)
    assert allowed(CDK_EXECUTION, "kms:ScheduleKeyDeletion", key, inside, scps=rcps)
