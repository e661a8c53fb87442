"""Under the Service Control Policies `python app.py scp` prints, evaluated by principalmapper with the synthesized
policies: an account administrator can neither change the logging configuration nor reach bedrock-mantle nor use
Bedrock API keys; the deployment and the configuration provider can change it; Claude is still invoked through the
configured profile.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from compliance.policies import print_scp
from tests.support.cfn_values import CfnValues
from tests.support.iam_evaluator import Principal, allowed
from tests.support.logical_ids import ACCESS_POLICY, PROVIDER_FUNCTION
from tests.support.project import SAMPLE_ACCOUNT, config_for
from tests.support.synth import Synth

REGION = "us-east-1"
EVERYTHING = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
ADMIN = Principal(f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/Administrator", [EVERYTHING])
CDK_DEPLOYMENT = Principal(
    f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-{SAMPLE_ACCOUNT}-{REGION}", [EVERYTHING]
)
IN_REGION = {"aws:RequestedRegion": REGION}
CONFIGURATION_CALLS = (
    "bedrock:PutModelInvocationLoggingConfiguration",
    "bedrock:DeleteModelInvocationLoggingConfiguration",
)


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


def test_an_administrator_cannot_change_the_logging_configuration(scps: list[dict[str, Any]]) -> None:
    for action in CONFIGURATION_CALLS:
        assert allowed(ADMIN, action, "*", IN_REGION)  # without the SCPs, it could
        assert not allowed(ADMIN, action, "*", IN_REGION, scps=scps), action


def test_the_provider_and_the_deployment_still_can(default_synth: Synth, scps: list[dict[str, Any]]) -> None:
    provider = provider_role(default_synth)
    assert provider.arn.startswith(f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/claude-on-bedrock/")
    assert allowed(provider, CONFIGURATION_CALLS[0], "*", IN_REGION, scps=scps)
    for action in CONFIGURATION_CALLS:
        assert allowed(CDK_DEPLOYMENT, action, "*", IN_REGION, scps=scps), action


def test_nobody_else_can_take_over_or_pass_the_project_roles(scps: list[dict[str, Any]]) -> None:
    project_role = f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/claude-on-bedrock/ClaudeInvocationLogging-Provider-ABC"
    for action in ("iam:PassRole", "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:CreateRole"):
        assert not allowed(ADMIN, action, project_role, IN_REGION, scps=scps), action
        assert allowed(CDK_DEPLOYMENT, action, project_role, IN_REGION, scps=scps), action
    # Other roles are the administrator's as before.
    assert allowed(ADMIN, "iam:PassRole", f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/app", IN_REGION, scps=scps)


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


def test_claude_is_still_invoked_through_the_configured_profile(
    default_synth: Synth, scps: list[dict[str, Any]]
) -> None:
    template = default_synth.templates[default_synth.stack_name("ClaudeInvocationAccess-")]
    policy = CfnValues(template, region=REGION).resolve(
        template["Resources"][ACCESS_POLICY]["Properties"]["PolicyDocument"]
    )
    caller = Principal(f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/caller", [policy])
    profile = f"arn:aws:bedrock:{REGION}:{SAMPLE_ACCOUNT}:inference-profile/global.anthropic.claude-sonnet-4-6"
    assert allowed(caller, "bedrock:InvokeModel", profile, IN_REGION, scps=scps)
    through_profile = {"aws:RequestedRegion": "unspecified", "bedrock:InferenceProfileArn": profile}
    model = "arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-6"
    assert allowed(caller, "bedrock:InvokeModel", model, through_profile, scps=scps)
    # The model directly, outside the profile, stays denied.
    assert not allowed(caller, "bedrock:InvokeModel", model, {"aws:RequestedRegion": "unspecified"}, scps=scps)
