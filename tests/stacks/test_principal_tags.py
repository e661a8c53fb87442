"""Principal tags: Bedrock attributes a call's cost to the IAM principal that made it, and that principal's tags,
once activated as cost allocation tags, split the bill ("Introducing granular cost attribution for Amazon Bedrock",
AWS Machine Learning blog, 2026-04-17). So every role this project creates, in every synthesized variant, carries
the project's tag, and each team's role carries the team's tags as its profiles do.
"""

from __future__ import annotations

from typing import Any

from tests.support import logical_ids as ids
from tests.support.synth import Synth

PROJECT_TAG = {"Key": "project", "Value": "claude-on-bedrock"}


def _roles(templates: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, str]]]:
    return {
        f"{name}/{logical_id}": resource["Properties"].get("Tags", [])
        for name, template in templates.items()
        for logical_id, resource in template.get("Resources", {}).items()
        if resource["Type"] == "AWS::IAM::Role"
    }


def test_every_role_of_every_variant_carries_the_project_tag(
    default_synth: Synth,
    every_option_synth: Synth,
    logging_options_synth: Synth,
    teams_synth: Synth,
    organization_synth: Synth,
) -> None:
    roles: dict[str, list[dict[str, str]]] = {}
    for synth in (default_synth, every_option_synth, logging_options_synth, teams_synth, organization_synth):
        roles.update({f"{id(synth)}:{path}": tags for path, tags in _roles(synth.templates).items()})
    # The invoker's, the logging stack's, the continuous audit's, the member baseline's, each team's, the budget
    # action's: a role of each kind is there to be checked.
    assert len(roles) >= 20
    assert any("BudgetActionRole" in path for path in roles)
    assert any("ClaudeMemberBaseline" in path for path in roles)
    untagged = sorted(path for path, tags in roles.items() if PROJECT_TAG not in tags)
    assert untagged == []


def test_a_team_role_carries_its_teams_tags(teams_synth: Synth) -> None:
    template = teams_synth.templates[teams_synth.stack_name("ClaudeTeams-")]
    tags = {
        role_id: {t["Key"]: t["Value"] for t in template["Resources"][role_id]["Properties"]["Tags"]}
        for role_id in (ids.DATA_SCIENCE_ROLE, ids.SUPPORT_ROLE)
    }
    assert tags[ids.DATA_SCIENCE_ROLE] == {
        "project": "claude-on-bedrock",
        "cost-center": "4711",
        "team": "data-science",
    }
    assert tags[ids.SUPPORT_ROLE] == {"project": "claude-on-bedrock", "cost-center": "0815"}
    # The same tags as the team's application profiles, whose calls Bedrock meters under them.
    profile = template["Resources"][ids.SUPPORT_HAIKU_PROFILE]["Properties"]["Tags"]
    assert {t["Key"]: t["Value"] for t in profile} == tags[ids.SUPPORT_ROLE]


def test_the_check_finds_an_untagged_role() -> None:
    templates = {"Probe": {"Resources": {"Bare": {"Type": "AWS::IAM::Role", "Properties": {}}}}}
    assert [path for path, tags in _roles(templates).items() if PROJECT_TAG not in tags] == ["Probe/Bare"]
