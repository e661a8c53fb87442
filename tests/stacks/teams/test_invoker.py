"""Teams through the invoker (the every-option variant: a function URL and two teams), evaluated by an IAM evaluator
this project did not write: the invoker's role reaches exactly the application profiles of the teams it serves, at
every step Bedrock may authorize, and no other profile, team model or action; the function is told which profile
each team's callers go through, and accepts what the construct writes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.cfn_values import CfnValues
from tests.support.iam_evaluator import Principal, allowed
from tests.support.invoker import function_settings
from tests.support.synth import Synth

REGION = "eu-west-1"
INVOKE = "bedrock:InvokeModel"
STREAM = "bedrock:InvokeModelWithResponseStream"
SONNET = "anthropic.claude-sonnet-4-6"
HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0"


@pytest.fixture(scope="module")
def teams(every_option_synth: Synth) -> CfnValues:
    return every_option_synth.values("ClaudeTeams-")


@pytest.fixture(scope="module")
def invoker(every_option_synth: Synth) -> CfnValues:
    return every_option_synth.values("ClaudeInvoker-")


def _profile(teams: CfnValues, name: str) -> str:
    """The ARN of the team profile named `name` (`<team>-<model alias>`)."""
    (logical_id,) = [
        i
        for i, r in teams.template["Resources"].items()
        if r["Type"] == "AWS::Bedrock::ApplicationInferenceProfile" and r["Properties"]["InferenceProfileName"] == name
    ]
    return teams.arn(logical_id)


@pytest.fixture(scope="module")
def function(invoker: CfnValues) -> Principal:
    resources = invoker.template["Resources"]
    (lambda_function,) = [r for r in resources.values() if r["Type"] == "AWS::Lambda::Function"]
    role_id = lambda_function["Properties"]["Role"]["Fn::GetAtt"][0]
    documents = [
        invoker.resolve(resources[ref["Ref"]]["Properties"]["PolicyDocument"])
        for ref in resources[role_id]["Properties"]["ManagedPolicyArns"]
    ]
    documents += [
        invoker.resolve(r["Properties"]["PolicyDocument"])
        for r in resources.values()
        if r["Type"] == "AWS::IAM::ManagedPolicy" and {"Ref": role_id} in r["Properties"].get("Roles", [])
    ]
    return Principal(invoker.arn(role_id), documents)


def _system(values: CfnValues, model_id: str) -> str:
    return f"arn:aws:bedrock:{REGION}:{values.account}:inference-profile/eu.{model_id}"


def _model(region: str, model_id: str) -> str:
    return f"arn:aws:bedrock:{region}::foundation-model/{model_id}"


def _through(function: Principal, application: str, system: str, model_id: str, action: str = INVOKE) -> bool:
    """Every step Bedrock may authorize for a call through `application` (as tests/stacks/teams/test_evaluation.py)."""
    steps = [(application, {"aws:RequestedRegion": REGION})]
    steps.append((system, {"aws:RequestedRegion": REGION, "bedrock:InferenceProfileArn": application}))
    for profile in (application, system):
        steps.append(
            (_model(REGION, model_id), {"aws:RequestedRegion": REGION, "bedrock:InferenceProfileArn": profile})
        )
    return all(allowed(function, action, resource, context) for resource, context in steps)


def test_the_invoker_reaches_the_profiles_of_the_teams_it_serves(
    function: Principal, teams: CfnValues, invoker: CfnValues
) -> None:
    for name in ("research-claude-sonnet-4-6", "support-claude-sonnet-4-6"):
        assert _through(function, _profile(teams, name), _system(invoker, SONNET), SONNET), name


def test_the_invoker_reaches_no_other_application_profile(
    function: Principal, teams: CfnValues, invoker: CfnValues
) -> None:
    context = {"aws:RequestedRegion": REGION}
    # Support's Haiku profile: the team's, but not among the invoker's models, so not served through it.
    haiku = _profile(teams, "support-claude-haiku-4-5")
    assert not allowed(function, INVOKE, haiku, context)
    assert not allowed(function, INVOKE, _model(REGION, HAIKU), {**context, "bedrock:InferenceProfileArn": haiku})
    # Any other application profile of the account, or of another, and no model routed through one.
    for other in (
        f"arn:aws:bedrock:{REGION}:{invoker.account}:application-inference-profile/zzzzzzzzzzzz",
        f"arn:aws:bedrock:{REGION}:999999999999:application-inference-profile/zzzzzzzzzzzz",
    ):
        assert not allowed(function, INVOKE, other, context)
        routed = {**context, "bedrock:InferenceProfileArn": other}
        assert not allowed(function, INVOKE, _model(REGION, SONNET), routed)
    # Never streaming, even through a team's profile.
    research = _profile(teams, "research-claude-sonnet-4-6")
    assert not _through(function, research, _system(invoker, SONNET), SONNET, STREAM)


def test_the_function_is_told_each_teams_members_and_profiles(every_option_synth: Synth, teams: CfnValues) -> None:
    values = every_option_synth.values("ClaudeInvoker-")
    (function,) = [r for r in values.template["Resources"].values() if r["Type"] == "AWS::Lambda::Function"]
    variables: dict[str, Any] = values.resolve(function["Properties"]["Environment"]["Variables"])
    assert json.loads(variables["INVOKER_TEAMS"]) == {
        "research": {
            "principals": ["arn:aws:iam::210987654321:role/analysts"],
            "profiles": {"claude-sonnet-4-6": _profile(teams, "research-claude-sonnet-4-6")},
            "guardrail": None,
        },
        "support": {
            "principals": ["777788889999"],
            "profiles": {"claude-sonnet-4-6": _profile(teams, "support-claude-sonnet-4-6")},
            "guardrail": None,
        },
    }
    settings = function_settings(variables)  # the function's own validation accepts what the construct writes
    assert [team.name for team in settings.teams] == ["research", "support"]


def test_without_the_function_url_the_invoker_serves_no_team(teams_synth: Synth) -> None:
    """The teams variant has teams and no function URL (eu-central-2 has none): no caller could be matched."""
    template = teams_synth.templates[teams_synth.stack_name("ClaudeInvoker-")]
    (function,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::Lambda::Function"]
    assert "INVOKER_TEAMS" not in function["Properties"]["Environment"]["Variables"]
    assert "application-inference-profile" not in json.dumps(template)
