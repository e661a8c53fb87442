"""The Service Control Policy statements the README tells an Organizations administrator to use."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from core.organization.scp import SCP_SIZE_LIMIT, guard_statements, policy_text, scp_policies, scp_statements
from tests.support.project import ROOT


def test_global_scope_region_deny_exempts_only_global_profile_calls() -> None:
    (statement,) = scp_statements("global", ["us-east-1", "eu-west-1"])
    assert statement["Effect"] == "Deny"
    assert statement["Condition"] == {
        "StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]},
        "ArnNotLike": {"bedrock:InferenceProfileArn": "arn:aws:bedrock:*:*:inference-profile/global.*"},
    }
    # Bedrock is not exempted wholesale: only the global-profile condition lets its calls through.
    assert not any(action.startswith("bedrock") for action in statement["NotAction"])


def test_geographic_scope_forbids_global_and_other_geographies() -> None:
    routing, global_routing = scp_statements("eu", ["eu-west-1"])
    assert routing["Effect"] == global_routing["Effect"] == "Deny"
    assert "arn:aws:bedrock:*:*:inference-profile/global.*" in routing["Resource"]
    assert "arn:aws:bedrock:*:*:inference-profile/us.*" in routing["Resource"]
    assert not any("/eu." in resource for resource in routing["Resource"])
    assert global_routing["Condition"] == {
        "StringEquals": {"aws:RequestedRegion": "unspecified"},
        "ArnLike": {"bedrock:InferenceProfileArn": "arn:aws:bedrock:*:*:inference-profile/global.*"},
    }


def test_scp_command_prints_a_policy_for_the_configured_scope() -> None:
    result = subprocess.run(
        [sys.executable, "app.py", "scp"],
        cwd=ROOT,
        env={
            **os.environ,
            "CDK_CONTEXT_JSON": json.dumps(
                {
                    "endpoint_scope": "eu",
                    "regions": ["eu-west-1"],
                    "models": ["claude-sonnet-4-6"],
                    "invoker_default_model": "claude-sonnet-4-6",
                }
            ),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    policy = json.loads(result.stdout)
    assert policy["Version"] == "2012-10-17"
    assert [s["Sid"] for s in policy["Statement"]] == [
        "DenyBedrockRoutingOutsideEu",
        "DenyBedrockGlobalRouting",
        *GUARD_SIDS,
    ]
    assert len(result.stdout.rstrip("\n")) <= SCP_SIZE_LIMIT


GUARD_SIDS = [
    "DenyLoggingConfigurationChangesOutsideDeployment",
    "DenyChangesToLoggingAdminRoles",
    "DenyUnloggedBedrockEndpoint",
    "DenyBedrockApiKeys",
    "DenyCreatingBedrockApiKeys",
]
ADMINS = ("arn:*:iam::*:role/claude-on-bedrock/*", "arn:*:iam::*:role/cdk-*-cfn-exec-role-*")


def test_guard_statements_deny_changes_outside_the_deployment_roles() -> None:
    statements = guard_statements(logging_admin_arns=ADMINS, allow_unlogged_endpoint=False, deny_api_keys=True)
    assert [s["Sid"] for s in statements] == GUARD_SIDS
    configuration, roles, mantle, keys, new_keys = statements
    assert configuration == {
        "Sid": "DenyLoggingConfigurationChangesOutsideDeployment",
        "Effect": "Deny",
        "Action": [
            "bedrock:PutModelInvocationLoggingConfiguration",
            "bedrock:DeleteModelInvocationLoggingConfiguration",
        ],
        "Resource": "*",
        "Condition": {"ArnNotLike": {"aws:PrincipalArn": list(ADMINS)}},
    }
    assert roles["Resource"] == "arn:*:iam::*:role/claude-on-bedrock/*"
    assert {"iam:PassRole", "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:CreateRole"} <= set(
        roles["Action"]
    )
    assert mantle == {
        "Sid": "DenyUnloggedBedrockEndpoint",
        "Effect": "Deny",
        "Action": "bedrock-mantle:*",
        "Resource": "*",
    }
    assert keys["Action"] == ["bedrock:CallWithBearerToken", "bedrock-mantle:CallWithBearerToken"]
    assert new_keys["Condition"] == {
        "StringEquals": {"iam:ServiceSpecificCredentialServiceName": "bedrock.amazonaws.com"}
    }


def test_the_unlogged_endpoint_and_api_keys_can_be_allowed() -> None:
    statements = guard_statements(logging_admin_arns=ADMINS, allow_unlogged_endpoint=True, deny_api_keys=False)
    assert [s["Sid"] for s in statements] == GUARD_SIDS[:2]


def test_statements_over_one_policy_are_split_into_several_in_order() -> None:
    # Enough deployment roles that one policy cannot hold the statements.
    admins = [f"arn:aws:iam::{n:012d}:role/deployment/pipeline-role-{n}" for n in range(35)]
    statements = scp_statements("eu", ["eu-west-1"]) + guard_statements(
        logging_admin_arns=admins, allow_unlogged_endpoint=False, deny_api_keys=True
    )
    policies = scp_policies(statements)
    assert len(policies) > 1
    assert [s for p in policies for s in p["Statement"]] == statements
    for policy in policies:
        assert policy["Version"] == "2012-10-17"
        assert len(policy_text(policy)) <= SCP_SIZE_LIMIT


def test_a_statement_too_large_for_any_policy_is_refused() -> None:
    huge = {"Sid": "Huge", "Effect": "Deny", "Action": [f"s3:Action{n:05d}" for n in range(400)], "Resource": "*"}
    with pytest.raises(ValueError, match="SCP statement Huge alone exceeds 5120 characters"):
        scp_policies([huge])


def test_scp_command_prints_a_json_list_when_the_statements_need_several_policies() -> None:
    admins = [f"arn:aws:iam::{n:012d}:role/deployment/pipeline-role-{n}" for n in range(35)]
    result = subprocess.run(
        [sys.executable, "app.py", "scp"],
        cwd=ROOT,
        env={**os.environ, "CDK_CONTEXT_JSON": json.dumps({"scp_logging_admin_arns": admins})},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    policies = json.loads(result.stdout)
    assert isinstance(policies, list) and len(policies) > 1
    assert all(len(policy_text(policy)) <= SCP_SIZE_LIMIT for policy in policies)
