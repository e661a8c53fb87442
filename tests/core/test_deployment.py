"""The deployment plan: every Region and team planned once, and what IAM would refuse refused first, in one line."""

from __future__ import annotations

import json
from typing import Any

import pytest

from core.config import ConfigError
from core.deployment import plan_deployment
from core.guardrails.guardrail import SAMPLE_GUARDRAIL_ARN, SAMPLE_GUARDRAIL_VERSION
from core.invocation_access.plan import check_policy_count
from core.teams.plan import TeamPlan
from tests.support.project import ORGANIZATION_CONTEXT, STRICT_GUARDRAIL, config_for, plan_for

EU_CENTRAL_2 = {"eu": {"eu-central-2": ["eu-central-1", "eu-central-2", "eu-west-1"]}}
ROLE = "arn:aws:iam::444455556666:role/data-platform"
TWO_TEAMS = {
    "endpoint_scope": "eu",
    "regions": ["eu-central-2", "eu-west-1"],
    "models": ["claude-sonnet-4-6"],
    "invoker_default_model": "claude-sonnet-4-6",
    "guardrails": [STRICT_GUARDRAIL],
    "teams": [
        {
            "name": "data",
            "principals": [ROLE],
            "models": ["claude-sonnet-4-6", "claude-haiku-4-5"],
            "guardrail": "strict",
        },
        {"name": "support", "principals": [ROLE], "models": ["claude-haiku-4-5"]},
    ],
}


def many_models(count: int, prefix: str) -> list[dict[str, Any]]:
    return [
        {
            "alias": f"{prefix}{n}",
            "model_id": f"anthropic.claude-extra-{n:03d}-with-a-rather-long-name-v1:0",
            "profiles": EU_CENTRAL_2,
        }
        for n in range(count)
    ]


def refused(**context: Any) -> str:
    with pytest.raises(ConfigError) as error:
        plan_for(**context)
    message = str(error.value)
    assert "\n" not in message, message
    return message


def test_configuration_accepts_what_only_the_plan_refuses() -> None:
    """Values are the configuration's to check; whether they fit IAM's limits is the plan's."""
    extra = many_models(150, "extra-")
    context = {
        "endpoint_scope": "eu",
        "regions": ["eu-central-2"],
        "extra_models": extra,
        "models": [e["alias"] for e in extra],
        "invoker_default_model": "extra-0",
    }
    assert len(config_for(**context).models.allowed) == 150
    message = refused(**context)
    assert message.startswith("models: 150 models under 'eu' from eu-central-2 need ")
    assert message.endswith(
        "managed policies of at most 6144 characters; allowed: at most 10 per role (IAM's default quota), "
        "so allow fewer models"
    )
    count = int(message.split(" need ", 1)[1].split(" ", 1)[0])
    assert count > 10
    assert check_policy_count(10, "x") is None


def test_a_team_whose_profiles_cannot_fit_a_role_is_refused() -> None:
    extra = many_models(150, "x")
    team = {"name": "data", "principals": [ROLE], "models": [e["alias"] for e in extra]}
    context = {
        "endpoint_scope": "eu",
        "regions": ["eu-central-2"],
        "extra_models": extra,
        "models": ["claude-sonnet-4-6"],
        "invoker_default_model": "claude-sonnet-4-6",
        "teams": [team],
    }
    assert config_for(**context).teams[0].name == "data"
    message = refused(**context)
    assert message.startswith("teams[data].models: 150 models of team data from eu-central-2 need ")


def test_every_region_and_every_team_in_every_region_is_planned_once_in_order() -> None:
    config = config_for(**TWO_TEAMS)
    plan = plan_deployment(config, "111122223333")
    assert [p.region for p in plan.regions] == ["eu-central-2", "eu-west-1"]
    assert plan.region("eu-west-1") is plan.regions[1]
    assert [(t.team.name, t.region) for t in plan.teams] == [
        ("data", "eu-central-2"),
        ("data", "eu-west-1"),
        ("support", "eu-central-2"),
        ("support", "eu-west-1"),
    ]
    assert [t.team.name for t in plan.teams_in("eu-west-1")] == ["data", "support"]
    data = plan.teams_in("eu-central-2")[0]
    assert [p.profile_id for p in data.profiles] == [
        "eu.anthropic.claude-sonnet-4-6",
        "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
    ]
    assert all(":111122223333:" in p.profile_arn for p in data.profiles)
    assert plan.member_regions == ()  # no organization rollout


def test_the_member_baseline_gets_plans_naming_the_member_account() -> None:
    config = config_for(**ORGANIZATION_CONTEXT)
    assert config.organization.member_access
    member_token = "${Token[AWS.AccountId.7]}"
    plan = plan_deployment(config, "111122223333", member_account=member_token)
    assert [p.region for p in plan.member_regions] == [p.region for p in plan.regions]
    for member, own in zip(plan.member_regions, plan.regions, strict=True):
        assert (member.account, own.account) == (member_token, "111122223333")
        assert member_token in json.dumps(member.access_statements)
        assert "111122223333" not in json.dumps(member.access_statements)
    # The same account: the same plans, not planned twice.
    assert plan_deployment(config, member_token, member_account=member_token).member_regions[0].account == member_token
    same = plan_deployment(config, "111122223333")
    assert all(m is r for m, r in zip(same.member_regions, same.regions, strict=True))
    # Without organization_member_access, members get no invocation policy: nothing to plan.
    without = config_for(**{**ORGANIZATION_CONTEXT, "organization_member_access": False})
    assert plan_deployment(without, "111122223333", member_account=member_token).member_regions == ()


def test_a_team_plan_binds_its_real_arns_in_place_of_the_samples() -> None:
    plan: TeamPlan = plan_deployment(config_for(**TWO_TEAMS), "111122223333").teams[0]
    assert plan.team.name == "data" and plan.sample_guardrail == (SAMPLE_GUARDRAIL_ARN, SAMPLE_GUARDRAIL_VERSION)
    profiles = ["${Token[TOKEN.1]}", "${Token[TOKEN.2]}"]
    guardrail = ("${Token[TOKEN.3]}", "${Token[TOKEN.4]}")
    sampled, bound = plan.policies(), plan.policies_naming(profiles, guardrail)
    bound_text = json.dumps(bound)
    # Every sample is gone, every real value is in: the profiles as resources and as the condition's values.
    for sample in (*plan.sample_profile_arns, SAMPLE_GUARDRAIL_ARN, SAMPLE_GUARDRAIL_VERSION):
        assert sample in json.dumps(sampled)
        assert sample not in bound_text
    for arn in profiles:
        assert bound_text.count(arn) == json.dumps(sampled).count(plan.sample_profile_arns[profiles.index(arn)])
    assert f"{guardrail[0]}:{guardrail[1]}" in bound_text  # bedrock:GuardrailIdentifier is `<ARN>:<version>`
    # Same statements, same split: only the values differ.
    assert [[s["Sid"] for s in document] for document in bound] == [[s["Sid"] for s in d] for d in sampled]
    with pytest.raises(ValueError, match="one application profile ARN per model"):
        plan.policies_naming(profiles[:1], guardrail)
    with pytest.raises(ValueError, match="a guardrail exactly when the team has one"):
        plan.policies_naming(profiles, None)


def test_a_function_url_where_lambda_offers_none_is_refused_in_one_line() -> None:
    """Lambda offers no function URL in eu-central-2 (Zurich) among others (AWS Lambda developer guide, "Invoking
    Lambda function URLs"): CloudFormation would fail there."""
    with pytest.raises(ConfigError) as error:
        plan_for(**{**TWO_TEAMS, "invoker_function_url": True})
    assert str(error.value) == (
        "invoker_function_url: Lambda offers no function URLs in eu-central-2 (AWS Lambda developer guide, "
        "'Invoking Lambda function URLs'); set invoker_function_url=false or deploy those Regions from a "
        "configuration without it"
    )
    plan_for(**{**TWO_TEAMS, "regions": ["eu-west-1"], "teams": [], "invoker_function_url": True})  # offered there
