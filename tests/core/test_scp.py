"""The Service Control Policy statements the README tells an Organizations administrator to use."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from core.scp import scp_statements
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
                {"endpoint_scope": "eu", "regions": ["eu-west-1"], "models": ["claude-sonnet-4-6"]}
            ),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    policy = json.loads(result.stdout)
    assert policy["Version"] == "2012-10-17"
    assert [s["Sid"] for s in policy["Statement"]] == ["DenyBedrockRoutingOutsideEu", "DenyBedrockGlobalRouting"]
