"""The organization's policies as statements: their shape, who they exempt, and how `python app.py scp` prints them.

What they allow and deny is proved by evaluation in tests/stacks/test_scp_evaluation.py; here, the facts a reviewer
reads in the printed JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from core.config.scp import ScpConfig
from core.invocation_logging.guard import UNLOGGED_INFERENCE_OPERATIONS
from core.organization.policies import organization_policies, principals_of
from core.organization.principals import exempt_principals
from core.organization.scp import SCP_SIZE_LIMIT, guard_statements, policy_text, scp_policies, scp_statements
from tests.support.project import ROOT, config_for

SCP = config_for().scp


def test_global_region_deny_exempts_only_global_profiles_of_the_approved_regions() -> None:
    (statement,) = scp_statements("global", ["us-east-1", "eu-west-1"])
    assert statement["Effect"] == "Deny"
    assert statement["Condition"] == {
        "StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]},
        "ArnNotLike": {
            "bedrock:InferenceProfileArn": [
                "arn:aws:bedrock:us-east-1:*:inference-profile/global.*",
                "arn:aws:bedrock:us-east-1:*:application-inference-profile/*",
                "arn:aws:bedrock:eu-west-1:*:inference-profile/global.*",
                "arn:aws:bedrock:eu-west-1:*:application-inference-profile/*",
            ]
        },
    }
    # Bedrock is not exempted wholesale: only the profile condition lets its routed calls through.
    assert not any(action.startswith("bedrock") for action in statement["NotAction"])


def test_geographic_scope_forbids_global_and_other_geographies_and_closes_its_regions() -> None:
    routing, global_routing, region_deny = scp_statements("eu", ["eu-west-1"])
    assert routing["Effect"] == global_routing["Effect"] == region_deny["Effect"] == "Deny"
    assert "arn:aws:bedrock:*:*:inference-profile/global.*" in routing["Resource"]
    assert "arn:aws:bedrock:*:*:inference-profile/us.*" in routing["Resource"]
    assert not any("/eu." in resource for resource in routing["Resource"])
    assert global_routing["Condition"] == {
        "StringEquals": {"aws:RequestedRegion": "unspecified"},
        "ArnLike": {"bedrock:InferenceProfileArn": "arn:aws:bedrock:*:*:inference-profile/global.*"},
    }
    assert region_deny["Sid"] == "DenyOutsideApprovedRegionsExceptBedrockEuProfiles"
    assert region_deny["Condition"]["ArnNotLike"]["bedrock:InferenceProfileArn"] == [
        "arn:aws:bedrock:eu-west-1:*:inference-profile/eu.*",
        "arn:aws:bedrock:eu-west-1:*:application-inference-profile/*",
    ]


GUARD_SIDS = [
    "DenyLoggingConfigurationChangesOutsideDeployment",
    "DenyDataRetentionChangesOutsideDeployment",
    "DenyTakingOverExemptRoles",
    "DenyChangesToProjectStorageOutsideDeployment",
    "DenyChangesToProjectDetectorsOutsideDeployment",
    "DenyLogObjectDeletion",
    "DenyUnloggedBedrockEndpoint",
    "DenyInferenceOutsideInvocationLogging",
    "DenyBedrockApiKeys",
    "DenyCreatingBedrockApiKeys",
]
PRINCIPALS = exempt_principals(qualifier="hnb659fds", regions=["us-east-1"], stack_sets=False, extra_deployers=())


def _by_sid(scp: ScpConfig, **options: object) -> dict[str, dict[str, object]]:
    statements = guard_statements(scp, PRINCIPALS, break_glass_principal=None, **options)  # type: ignore[arg-type]
    return {str(s["Sid"]): s for s in statements}


def test_no_exemption_is_a_pattern_an_administrator_can_create_outside_the_protected_roles() -> None:
    assert PRINCIPALS.setting_writers == ("arn:*:iam::*:role/claude-on-bedrock/*",)
    assert PRINCIPALS.deployers == (
        "arn:*:iam::*:role/cdk-hnb659fds-cfn-exec-role-*-us-east-1",
        "arn:*:iam::*:role/cdk-hnb659fds-deploy-role-*-us-east-1",
    )
    statements = _by_sid(SCP)
    assert list(statements) == GUARD_SIDS
    # Every pattern any statement exempts is a resource of the statement that denies creating or taking over a role.
    takeover = statements["DenyTakingOverExemptRoles"]
    exempted = {
        pattern
        for s in statements.values()
        for pattern in s.get("Condition", {}).get("ArnNotLike", {}).get("aws:PrincipalArn", [])  # type: ignore[attr-defined]
    }
    assert exempted <= set(takeover["Resource"])  # type: ignore[arg-type]
    assert {"iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:PassRole", "iam:AttachRolePolicy"} <= set(
        takeover["Action"]  # type: ignore[arg-type]
    )
    # The Bedrock settings exempt the project's roles only: the deployment never calls Bedrock itself.
    for sid in ("DenyLoggingConfigurationChangesOutsideDeployment", "DenyDataRetentionChangesOutsideDeployment"):
        assert statements[sid]["Condition"] == {"ArnNotLike": {"aws:PrincipalArn": list(PRINCIPALS.setting_writers)}}


def test_data_retention_is_guarded_like_logging_and_its_mode_can_be_pinned() -> None:
    storage = ScpConfig(
        **{**SCP.__dict__, "data_retention_storage_actions": ("bedrock:PutAccountDataRetentionStorage",)}
    )
    statements = _by_sid(storage, data_retention_mode="none")
    assert statements["DenyDataRetentionChangesOutsideDeployment"]["Action"] == [
        "bedrock:PutAccountDataRetention",
        "bedrock-mantle:PutAccountDataRetention",
        "bedrock:PutAccountDataRetentionStorage",
    ]
    assert statements["DenyOtherDataRetentionModes"] == {
        "Sid": "DenyOtherDataRetentionModes",
        "Effect": "Deny",
        "Action": "bedrock:PutAccountDataRetention",
        "Resource": "*",
        "Condition": {"StringNotEquals": {"bedrock:DataRetentionMode": ["none"]}},
    }
    # aws_review pinned: the deployment may set it, or a stricter mode (a rollback), never provider_data_share.
    reviewed = _by_sid(storage, data_retention_mode="aws_review")["DenyOtherDataRetentionModes"]
    assert reviewed["Condition"] == {
        "StringNotEquals": {"bedrock:DataRetentionMode": ["none", "default", "aws_review"]}
    }
    assert "DenyOtherDataRetentionModes" not in _by_sid(SCP)


def test_unlogged_paths_and_api_keys_are_denied_unless_allowed() -> None:
    statements = _by_sid(SCP)
    assert statements["DenyInferenceOutsideInvocationLogging"]["Action"] == [
        "bedrock:CreateModelInvocationJob",
        "bedrock:InvokeAgent",
        "bedrock:InvokeInlineAgent",
        "bedrock:InvokeFlow",
        "bedrock:StartFlowExecution",
        "bedrock:RetrieveAndGenerate",
    ]
    assert statements["DenyUnloggedBedrockEndpoint"]["Action"] == "bedrock-mantle:*"
    assert statements["DenyBedrockApiKeys"]["Action"] == [
        "bedrock:CallWithBearerToken",
        "bedrock-mantle:CallWithBearerToken",
    ]
    assert statements["DenyCreatingBedrockApiKeys"]["Condition"] == {
        "StringEquals": {"iam:ServiceSpecificCredentialServiceName": "bedrock.amazonaws.com"}
    }
    everything = config_for(
        scp_allow_unlogged_endpoint=True,
        scp_deny_api_keys=False,
        scp_allow_unlogged_inference=["CreateModelInvocationJob", "InvokeAgent"],
    ).scp
    open_ = _by_sid(everything)
    assert not {"DenyUnloggedBedrockEndpoint", "DenyBedrockApiKeys", "DenyCreatingBedrockApiKeys"} & set(open_)
    assert "bedrock:CreateModelInvocationJob" not in open_["DenyInferenceOutsideInvocationLogging"]["Action"]  # type: ignore[operator]
    all_allowed = config_for(scp_allow_unlogged_inference=list(UNLOGGED_INFERENCE_OPERATIONS)).scp
    assert "DenyInferenceOutsideInvocationLogging" not in _by_sid(all_allowed)


def test_only_the_named_principals_may_assume_the_deploy_roles_when_some_are_named() -> None:
    assert "DenyDeployingOutsideTheDeploymentPrincipals" not in _by_sid(SCP)
    pipeline = "arn:aws:iam::111122223333:role/pipeline"
    statement = _by_sid(config_for(scp_deploy_role_principals=[pipeline]).scp)[
        "DenyDeployingOutsideTheDeploymentPrincipals"
    ]
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Resource"] == ["arn:*:iam::*:role/cdk-hnb659fds-deploy-role-*-us-east-1"]
    assert statement["Condition"] == {"ArnNotLike": {"aws:PrincipalArn": [pipeline]}}


def test_the_stacksets_role_and_exact_roles_are_deployers_too() -> None:
    config = config_for(
        regions=["us-east-1", "eu-west-1"],
        organization_targets=["ou-ab12-cd34ef56"],
        scp_logging_admin_arns=["arn:aws:iam::111122223333:role/Bootstrapper"],
        scp_cdk_qualifier="custom01",
    )
    assert principals_of(config).deployers == (
        "arn:*:iam::*:role/cdk-custom01-cfn-exec-role-*-us-east-1",
        "arn:*:iam::*:role/cdk-custom01-deploy-role-*-us-east-1",
        "arn:*:iam::*:role/cdk-custom01-cfn-exec-role-*-eu-west-1",
        "arn:*:iam::*:role/cdk-custom01-deploy-role-*-eu-west-1",
        "arn:*:iam::*:role/stacksets-exec-*",
        "arn:aws:iam::111122223333:role/Bootstrapper",
    )


def test_resource_control_policies_keep_the_projects_resources_to_the_deployers_and_the_organization() -> None:
    (without,) = organization_policies(config_for()).resource_control
    assert [s["Sid"] for s in without["Statement"]] == ["DenyChangesToProjectResourcesOutsideDeployment"]
    (policy,) = organization_policies(config_for(organization_id="o-a1b2c3d4e5")).resource_control
    changes, perimeter = policy["Statement"]
    assert changes["Principal"] == perimeter["Principal"] == "*"
    # Only the services resource control policies apply to.
    assert {a.split(":")[0] for a in changes["Action"]} == {"s3", "kms", "logs", "events"}
    assert perimeter["Condition"] == {
        "StringEquals": {"aws:ResourceTag/project": "claude-on-bedrock"},
        "StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
        "BoolIfExists": {"aws:PrincipalIsAWSService": "false"},
    }


def _scp_command(*options: str, **context: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "app.py", "scp", *options],
        cwd=ROOT,
        env={**os.environ, "CDK_CONTEXT_JSON": json.dumps(context)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_scp_command_prints_the_policies_for_the_configured_scope() -> None:
    result = _scp_command(
        endpoint_scope="eu",
        regions=["eu-west-1"],
        models=["claude-sonnet-4-6"],
        invoker_default_model="claude-sonnet-4-6",
    )
    assert result.returncode == 0, result.stderr
    policies = json.loads(result.stdout)
    # The default data_retention_mode (none) is pinned: DenyOtherDataRetentionModes.
    assert [s["Sid"] for p in policies for s in p["Statement"]] == [
        "DenyBedrockRoutingOutsideEu",
        "DenyBedrockGlobalRouting",
        "DenyOutsideApprovedRegionsExceptBedrockEuProfiles",
        *GUARD_SIDS[:2],
        "DenyOtherDataRetentionModes",
        *GUARD_SIDS[2:],
    ]
    for policy in policies:
        assert policy["Version"] == "2012-10-17"
        assert len(policy_text(policy)) <= SCP_SIZE_LIMIT
    rcp = _scp_command("--rcp", organization_id="o-a1b2c3d4e5")
    assert rcp.returncode == 0, rcp.stderr
    assert [s["Sid"] for s in json.loads(rcp.stdout)["Statement"]] == [
        "DenyChangesToProjectResourcesOutsideDeployment",
        "DenyProjectKeysAndBucketsOutsideOrganization",
    ]


def test_statements_over_one_policy_are_split_into_several_in_order() -> None:
    # Enough exact deployment roles that few statements fit a policy.
    admins = [f"arn:aws:iam::{n:012d}:role/deployment/pipeline-role-{n}" for n in range(20)]
    config = config_for(
        endpoint_scope="eu",
        regions=["eu-west-1"],
        models=["claude-sonnet-4-6"],
        invoker_default_model="claude-sonnet-4-6",
        scp_logging_admin_arns=admins,
    )
    statements = scp_statements("eu", ["eu-west-1"]) + guard_statements(
        config.scp, principals_of(config), break_glass_principal=None
    )
    policies = scp_policies(statements)
    assert len(policies) > 2
    assert [s for p in policies for s in p["Statement"]] == statements
    for policy in policies:
        assert policy["Version"] == "2012-10-17"
        assert len(policy_text(policy)) <= SCP_SIZE_LIMIT


def test_a_statement_too_large_for_any_policy_is_refused() -> None:
    huge = {"Sid": "Huge", "Effect": "Deny", "Action": [f"s3:Action{n:05d}" for n in range(400)], "Resource": "*"}
    with pytest.raises(ValueError, match="SCP statement Huge alone exceeds 5120 characters"):
        scp_policies([huge])


def test_scp_command_refuses_in_one_line_when_one_statement_cannot_fit() -> None:
    admins = [f"arn:aws:iam::{n:012d}:role/deployment/pipeline-role-{n}" for n in range(80)]
    result = _scp_command(scp_logging_admin_arns=admins)
    assert result.returncode == 2
    assert result.stderr.startswith("Configuration error: scp_logging_admin_arns: SCP statement ")
    assert len(result.stderr.strip().splitlines()) == 1
