"""The teams stack: per team, application inference profiles copied from the scope's profiles and tagged, a role its
principals assume, its policy attached, and outputs naming both."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import logical_ids as ids
from tests.support.synth import Synth

REGION = "eu-central-2"
PROFILES = {
    ids.DATA_SCIENCE_OPUS_PROFILE: ("data-science-claude-opus-4-7", "anthropic.claude-opus-4-7", "Opus"),
    ids.DATA_SCIENCE_SONNET_PROFILE: ("data-science-claude-sonnet-4-6", "anthropic.claude-sonnet-4-6", "Sonnet"),
    ids.SUPPORT_HAIKU_PROFILE: ("support-claude-haiku-4-5", "anthropic.claude-haiku-4-5-20251001-v1:0", "Haiku"),
}


@pytest.fixture(scope="module")
def teams(teams_synth: Synth) -> dict[str, Any]:
    template: dict[str, Any] = teams_synth.templates[teams_synth.stack_name("ClaudeTeams-")]
    return template


def test_one_profile_per_model_copied_from_the_scopes_system_profile(teams: dict[str, Any], teams_synth: Synth) -> None:
    values = teams_synth.values("ClaudeTeams-")
    found = {k: r for k, r in teams["Resources"].items() if r["Type"] == "AWS::Bedrock::ApplicationInferenceProfile"}
    assert set(found) == set(PROFILES)
    for logical_id, (name, model_id, _) in PROFILES.items():
        properties = values.resolve(found[logical_id]["Properties"])
        assert properties["InferenceProfileName"] == name
        account = values.account
        assert properties["ModelSource"] == {
            "CopyFrom": f"arn:aws:bedrock:{REGION}:{account}:inference-profile/eu.{model_id}"
        }


def test_profiles_carry_the_teams_cost_tags(teams: dict[str, Any]) -> None:
    def tags(logical_id: str) -> dict[str, str]:
        return {t["Key"]: t["Value"] for t in teams["Resources"][logical_id]["Properties"]["Tags"]}

    for logical_id in (ids.DATA_SCIENCE_OPUS_PROFILE, ids.DATA_SCIENCE_SONNET_PROFILE):
        assert tags(logical_id) == {"cost-center": "4711", "team": "data-science", "project": "claude-on-bedrock"}
    assert tags(ids.SUPPORT_HAIKU_PROFILE) == {"cost-center": "0815", "project": "claude-on-bedrock"}


def test_each_role_trusts_its_teams_principals_and_holds_its_policy(teams: dict[str, Any]) -> None:
    resources = teams["Resources"]
    data = resources[ids.DATA_SCIENCE_ROLE]["Properties"]
    (trust,) = data["AssumeRolePolicyDocument"]["Statement"]
    assert sorted(trust["Principal"]["AWS"]) == [
        "arn:aws:iam::444455556666:role/analysts",
        "arn:aws:iam::444455556666:root",
    ]
    assert data["ManagedPolicyArns"] == [{"Ref": ids.DATA_SCIENCE_POLICY}]
    assert data["MaxSessionDuration"] == 3600
    support = resources[ids.SUPPORT_ROLE]["Properties"]
    assert support["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "AWS": "arn:aws:iam::777788889999:role/support-bot"
    }
    assert support["ManagedPolicyArns"] == [{"Ref": ids.SUPPORT_POLICY}]
    assert "Policies" not in data and "Policies" not in support


def test_outputs_list_each_teams_role_and_profiles(teams: dict[str, Any], teams_synth: Synth) -> None:
    values = teams_synth.values("ClaudeTeams-")
    outputs = {name: values.resolve(o["Value"]) for name, o in teams["Outputs"].items()}
    assert outputs["DataScienceTeamRoleArn"] == values.arn(ids.DATA_SCIENCE_ROLE)
    assert outputs["DataScienceTeamProfileArns"] == (
        f"claude-opus-4-7={values.arn(ids.DATA_SCIENCE_OPUS_PROFILE)},"
        f"claude-sonnet-4-6={values.arn(ids.DATA_SCIENCE_SONNET_PROFILE)}"
    )
    assert outputs["SupportTeamProfileArns"] == f"claude-haiku-4-5={values.arn(ids.SUPPORT_HAIKU_PROFILE)}"
    assert "444455556666" in teams["Outputs"]["DataScienceTeamRoleArn"]["Description"]


def test_no_teams_no_stack(default_synth: Synth) -> None:
    assert not [name for name in default_synth.templates if name.startswith("ClaudeTeams-")]
