"""Budgets (TEAMS_CONTEXT: data-science with a 2,500 USD budget and `budget_action: deny`, support with 300.50 USD;
EVERY_OPTION_CONTEXT: the account's 5,000 USD budget): what each budget counts, when and whom it notifies, and the
action that denies a team's role Claude, evaluated by an IAM evaluator this project did not write.

Expected values are written from the configuration and AWS's pages (AWS::Budgets::Budget, AWS::Budgets::BudgetsAction,
"Allow AWS Budgets to apply IAM policies and SCPs"), not read from core/usage/budgets.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support import logical_ids as ids
from tests.support.cfn_values import CfnValues
from tests.support.iam_evaluator import Principal, allowed
from tests.support.project import ALARM_EMAIL, CENTRAL_TOPIC_ARN
from tests.support.synth import Synth

REGION = "eu-central-2"
INVOKE = "bedrock:InvokeModel"
STREAM = "bedrock:InvokeModelWithResponseStream"
SONNET = "anthropic.claude-sonnet-4-6"
EVERY_NOTIFICATION = [("FORECASTED", 80), ("ACTUAL", 100)]


def _of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == kind}


@pytest.fixture(scope="module")
def budgets(teams_synth: Synth) -> dict[str, Any]:
    template: dict[str, Any] = teams_synth.templates["ClaudeBudgets"]
    return template


def _budget(template: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [
        r["Properties"]
        for r in _of_type(template, "AWS::Budgets::Budget").values()
        if r["Properties"]["Budget"]["BudgetName"] == name
    ]
    return found


def _notifications(budget: dict[str, Any]) -> list[tuple[str, int, str, str, list[tuple[str, str]]]]:
    return [
        (
            n["Notification"]["NotificationType"],
            n["Notification"]["Threshold"],
            n["Notification"]["ThresholdType"],
            n["Notification"]["ComparisonOperator"],
            [(s["SubscriptionType"], s["Address"]) for s in n["Subscribers"]],
        )
        for n in budget["NotificationsWithSubscribers"]
    ]


def test_each_team_budget_counts_the_tags_only_that_team_has(budgets: dict[str, Any]) -> None:
    data = _budget(budgets, "claude-on-bedrock-team-data-science")["Budget"]
    assert (data["BudgetType"], data["TimeUnit"], data["BudgetLimit"]) == (
        "COST",
        "MONTHLY",
        {"Amount": 2500, "Unit": "USD"},
    )
    # data-science's tags are cost-center 4711 and team data-science; support's cost-center 0815: both unique.
    assert data["FilterExpression"] == {
        "And": [
            {"Tags": {"Key": "cost-center", "Values": ["4711"], "MatchOptions": ["EQUALS"]}},
            {"Tags": {"Key": "team", "Values": ["data-science"], "MatchOptions": ["EQUALS"]}},
        ]
    }
    support = _budget(budgets, "claude-on-bedrock-team-support")["Budget"]
    assert support["BudgetLimit"] == {"Amount": 300.5, "Unit": "USD"}
    assert support["FilterExpression"] == {
        "Tags": {"Key": "cost-center", "Values": ["0815"], "MatchOptions": ["EQUALS"]}
    }


def test_budgets_notify_at_80_percent_forecast_and_100_percent_actual(
    budgets: dict[str, Any], every_option_synth: Synth
) -> None:
    for name in ("claude-on-bedrock-team-data-science", "claude-on-bedrock-team-support"):
        assert _notifications(_budget(budgets, name)) == [
            (kind, percent, "PERCENTAGE", "GREATER_THAN", [("EMAIL", ALARM_EMAIL)])
            for kind, percent in EVERY_NOTIFICATION
        ]
    account = _budget(every_option_synth.templates["ClaudeBudgets"], "claude-on-bedrock-bedrock")
    # The account's Bedrock spend, whatever service name a Marketplace-sold model is billed under.
    assert account["Budget"]["FilterExpression"] == {
        "Dimensions": {"Key": "SERVICE", "Values": ["Bedrock"], "MatchOptions": ["CONTAINS"]}
    }
    assert account["Budget"]["BudgetLimit"] == {"Amount": 5000, "Unit": "USD"}
    # alarm_emails and alarm_topic_arn (a single-Region topic in eu-west-1, the first Region).
    subscribers = [("EMAIL", ALARM_EMAIL), ("SNS", CENTRAL_TOPIC_ARN)]
    assert _notifications(account) == [
        (kind, percent, "PERCENTAGE", "GREATER_THAN", subscribers) for kind, percent in EVERY_NOTIFICATION
    ]


@pytest.fixture(scope="module")
def budget_values(teams_synth: Synth) -> CfnValues:
    return teams_synth.values("ClaudeBudgets")


@pytest.fixture(scope="module")
def action(budgets: dict[str, Any], budget_values: CfnValues) -> dict[str, Any]:
    (found,) = _of_type(budgets, "AWS::Budgets::BudgetsAction").values()
    resolved: dict[str, Any] = budget_values.resolve(found["Properties"])
    return resolved


def _team_role(teams_synth: Synth, role_id: str) -> Principal:
    template = teams_synth.templates[teams_synth.stack_name("ClaudeTeams-")]
    values = teams_synth.values("ClaudeTeams-")
    documents = [
        values.resolve(template["Resources"][ref["Ref"]]["Properties"]["PolicyDocument"])
        for ref in template["Resources"][role_id]["Properties"]["ManagedPolicyArns"]
    ]
    return Principal(values.arn(role_id), documents)


def test_only_the_denying_team_has_an_action_on_its_role(action: dict[str, Any], teams_synth: Synth) -> None:
    teams = teams_synth.values("ClaudeTeams-")
    assert action["BudgetName"] == "claude-on-bedrock-team-data-science"
    assert (action["ActionType"], action["ApprovalModel"], action["NotificationType"]) == (
        "APPLY_IAM_POLICY",
        "AUTOMATIC",
        "ACTUAL",
    )
    assert action["ActionThreshold"] == {"Type": "PERCENTAGE", "Value": 100}
    definition = action["Definition"]["IamActionDefinition"]
    # The role of the teams stack in eu-central-2, read across Regions from its output.
    assert definition["Roles"] == [teams.physical_name(ids.DATA_SCIENCE_ROLE)]
    assert action["Subscribers"] == [{"Address": ALARM_EMAIL, "Type": "EMAIL"}]


def test_the_team_role_is_denied_claude_once_the_policy_is_attached(
    teams_synth: Synth, action: dict[str, Any], budgets: dict[str, Any], budget_values: CfnValues
) -> None:
    teams = teams_synth.values("ClaudeTeams-")
    data = _team_role(teams_synth, ids.DATA_SCIENCE_ROLE)
    policies = _of_type(budgets, "AWS::IAM::ManagedPolicy").items()
    (deny_id,) = [k for k, r in policies if r["Properties"]["PolicyDocument"]["Statement"][0]["Effect"] == "Deny"]
    assert action["Definition"]["IamActionDefinition"]["PolicyArn"] == budget_values.arn(deny_id)
    deny = budget_values.resolve(budgets["Resources"][deny_id]["Properties"]["PolicyDocument"])
    guardrail = {"bedrock:GuardrailIdentifier": f"{teams_synth.values('ClaudeGuardrails-').arn(ids.GUARDRAIL)}:1"}
    profile = teams.arn(ids.DATA_SCIENCE_SONNET_PROFILE)
    context = {"aws:RequestedRegion": REGION, **guardrail}
    assert allowed(data, INVOKE, profile, context)
    denied = Principal(data.arn, [*data.policies, deny])
    for action_name in (INVOKE, STREAM):
        assert not allowed(denied, action_name, profile, context)
    system = f"arn:aws:bedrock:{REGION}:{teams.account}:inference-profile/eu.{SONNET}"
    routed = {**context, "bedrock:InferenceProfileArn": profile}
    assert allowed(data, INVOKE, f"arn:aws:bedrock:eu-west-1::foundation-model/{SONNET}", routed)
    assert not allowed(denied, INVOKE, f"arn:aws:bedrock:eu-west-1::foundation-model/{SONNET}", routed)
    assert not allowed(denied, INVOKE, system, {**context, "bedrock:InferenceProfileArn": profile})


def test_aws_budgets_may_attach_that_policy_to_that_role_and_nothing_else(
    teams_synth: Synth, budgets: dict[str, Any], budget_values: CfnValues, action: dict[str, Any]
) -> None:
    (role_id,) = _of_type(budgets, "AWS::IAM::Role")
    role = budgets["Resources"][role_id]["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "budgets.amazonaws.com"}}
    ]
    assert action["ExecutionRoleArn"] == budget_values.arn(role_id)
    documents = [
        budget_values.resolve(r["Properties"]["PolicyDocument"])
        for r in _of_type(budgets, "AWS::IAM::ManagedPolicy").values()
        if {"Ref": role_id} in r["Properties"].get("Roles", [])
    ]
    execution = Principal(budget_values.arn(role_id), documents)
    teams = teams_synth.values("ClaudeTeams-")
    data_role, support_role = teams.arn(ids.DATA_SCIENCE_ROLE), teams.arn(ids.SUPPORT_ROLE)
    deny = action["Definition"]["IamActionDefinition"]["PolicyArn"]
    for verb in ("iam:AttachRolePolicy", "iam:DetachRolePolicy"):
        assert allowed(execution, verb, data_role, {"iam:PolicyARN": deny})
        assert not allowed(execution, verb, support_role, {"iam:PolicyARN": deny})
        assert not allowed(execution, verb, data_role, {"iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess"})
    assert not allowed(execution, "iam:PutRolePolicy", data_role)
    assert not allowed(
        execution, "iam:AttachUserPolicy", f"arn:aws:iam::{teams.account}:user/x", {"iam:PolicyARN": deny}
    )


def test_the_budgets_stack_is_in_us_east_1_after_the_teams_stacks(teams_synth: Synth) -> None:
    artifact = json.loads((teams_synth.outdir / "manifest.json").read_text())["artifacts"]["ClaudeBudgets"]
    assert artifact["environment"].endswith("/us-east-1")
    assert "ClaudeTeams-eu-central-2" in artifact["dependencies"]
