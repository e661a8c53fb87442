"""Capacity and money on the usage stack: quota alarms (EVERY_OPTION_CONTEXT: Sonnet 4.6 at 75% of 2,000,000 tokens
a minute, called through the eu profile and two teams' profiles; TEAMS_CONTEXT: Haiku 4.5 at the default 80% of
1,000,000, through the eu profile and the support team's application profile), the capacity and cost widgets, and
the cost queries that know the teams' profiles.

The metric and its dimension are written from AWS's page ("Monitor bedrock-runtime inference using CloudWatch
metrics": `EstimatedTPMQuotaUsage`, namespace `AWS/Bedrock`, dimension `ModelId`), not read from core/usage.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support import logical_ids as ids
from tests.support.project import CENTRAL_TOPIC_ARN
from tests.support.synth import Synth


def _alarms(synth: Synth) -> dict[str, dict[str, Any]]:
    template = synth.templates[synth.stack_name("ClaudeUsage-")]
    values = synth.values("ClaudeUsage-")
    return {
        k: values.resolve(r["Properties"])
        for k, r in template["Resources"].items()
        if r["Type"] == "AWS::CloudWatch::Alarm"
    }


def _series(alarm: dict[str, Any]) -> tuple[str, list[tuple[str, str, str, int, str]]]:
    """(the math expression, [(namespace, metric, ModelId, period, statistic)] of the metrics it sums)."""
    (expression,) = [m["Expression"] for m in alarm["Metrics"] if "Expression" in m]
    metrics = [
        (
            m["MetricStat"]["Metric"]["Namespace"],
            m["MetricStat"]["Metric"]["MetricName"],
            {d["Name"]: d["Value"] for d in m["MetricStat"]["Metric"]["Dimensions"]}["ModelId"],
            m["MetricStat"]["Period"],
            m["MetricStat"]["Stat"],
        )
        for m in alarm["Metrics"]
        if "MetricStat" in m
    ]
    return expression, metrics


def test_a_quota_alarm_fires_at_the_fraction_of_the_stated_quota(every_option_synth: Synth) -> None:
    (alarm,) = _alarms(every_option_synth).values()
    assert alarm["Threshold"] == 1_500_000  # 75% of 2,000,000
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert (alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"], alarm["TreatMissingData"]) == (5, 3, "notBreaching")
    expression, metrics = _series(alarm)
    # The eu profile callers send, and both teams' Sonnet 4.6 application profiles in the Region.
    teams = every_option_synth.values("ClaudeTeams-")
    resources = every_option_synth.templates[every_option_synth.stack_name("ClaudeTeams-")]["Resources"]
    sonnet_profiles = sorted(
        teams.resource_id(k)
        for k, r in resources.items()
        if r["Type"] == "AWS::Bedrock::ApplicationInferenceProfile"
        and r["Properties"]["InferenceProfileName"].endswith("-claude-sonnet-4-6")
    )
    assert len(sonnet_profiles) == 2
    assert metrics[0] == ("AWS/Bedrock", "EstimatedTPMQuotaUsage", "eu.anthropic.claude-sonnet-4-6", 60, "Sum")
    assert sorted(m[2] for m in metrics[1:]) == sonnet_profiles
    assert {(m[0], m[1], m[3], m[4]) for m in metrics} == {("AWS/Bedrock", "EstimatedTPMQuotaUsage", 60, "Sum")}
    assert expression == "FILL(m0, 0) + FILL(m1, 0) + FILL(m2, 0)"
    invoker = every_option_synth.values("ClaudeInvoker-")
    assert alarm["AlarmActions"] == [invoker.arn(ids.ALARM_TOPIC), CENTRAL_TOPIC_ARN]


def test_a_quota_alarm_sums_the_profile_and_the_teams_profiles_of_its_model(teams_synth: Synth) -> None:
    (alarm,) = _alarms(teams_synth).values()
    assert alarm["Threshold"] == 800_000
    expression, metrics = _series(alarm)
    support = teams_synth.values("ClaudeTeams-").resource_id(ids.SUPPORT_HAIKU_PROFILE)
    haiku = "eu.anthropic.claude-haiku-4-5-20251001-v1:0"
    assert [m[2] for m in metrics] == [haiku, support]
    assert expression == "FILL(m0, 0) + FILL(m1, 0)"


def test_no_quota_no_alarm(default_synth: Synth) -> None:
    assert _alarms(default_synth) == {}


def _body(synth: Synth) -> dict[str, Any]:
    template = synth.templates[synth.stack_name("ClaudeUsage-")]
    dashboard = template["Resources"][ids.USAGE_DASHBOARD]["Properties"]["DashboardBody"]
    body: dict[str, Any] = json.loads(synth.values("ClaudeUsage-").resolve(dashboard))
    return body


def _widget(body: dict[str, Any], title: str) -> dict[str, Any]:
    (found,) = [w for w in body["widgets"] if w["properties"].get("title", "").startswith(title)]
    return found


@pytest.mark.parametrize("variant", ["default_synth", "every_option_synth"])
def test_the_capacity_widget_shows_quota_usage_and_throttles(variant: str, request: pytest.FixtureRequest) -> None:
    synth: Synth = request.getfixturevalue(variant)
    widget = _widget(_body(synth), "Capacity")["properties"]
    expressions = [m[-1].get("expression") for m in widget["metrics"] if isinstance(m[-1], dict)]
    assert "SEARCH('{AWS/Bedrock,ModelId} MetricName=\"InvocationThrottles\"', 'Sum', 300)" in expressions
    assert (
        'SEARCH(\'{ClaudeOnBedrock,ErrorType,Model,Scope,service} MetricName="Errors" '
        "ErrorType=\"rate_limit_error\"', 'Sum', 300)"
    ) in expressions
    if variant == "default_synth":
        assert "SEARCH('{AWS/Bedrock,ModelId} MetricName=\"EstimatedTPMQuotaUsage\"', 'Sum', 60)" in expressions
        assert "annotations" not in widget
    else:
        assert widget["annotations"]["horizontal"][0]["value"] == 1_500_000
        assert any(e and e.startswith("FILL(") for e in expressions)


def test_the_cost_table_reads_the_invocation_log(default_synth: Synth) -> None:
    widget = _widget(_body(default_synth), "Estimated cost by day, caller, team and model")
    query = widget["properties"]["query"]
    assert widget["type"] == "log" and widget["properties"]["view"] == "table"
    assert 'strcontains(modelId, "anthropic.claude-sonnet-4-6")*(3*i+3.75*w+0.3*r+15*o+' in query
    assert "by bin(1d), caller, team, modelId" in query


def test_with_teams_the_cost_queries_know_each_teams_profiles(teams_synth: Synth) -> None:
    template = teams_synth.templates[teams_synth.stack_name("ClaudeUsage-")]
    values = teams_synth.values("ClaudeUsage-")
    teams = teams_synth.values("ClaudeTeams-")
    support = teams.resource_id(ids.SUPPORT_HAIKU_PROFILE)
    named = {
        r["Properties"]["Name"]: values.resolve(r["Properties"]["QueryString"])
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Athena::NamedQuery"
    }
    sql = named["Estimated cost by day, caller, team and model"]
    assert f"WHEN modelid LIKE '%{support}' THEN 'support'" in sql
    # Haiku 4.5 through the eu profile: the regional rate (10% above $1 input), whatever the record's modelId.
    assert f"WHEN model_id LIKE '%{support}' THEN 0.0000011*input_tokens" in sql
    saved = {
        r["Properties"]["Name"]: values.resolve(r["Properties"]["QueryString"])
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Logs::QueryDefinition"
    }
    team_query = saved["Claude on Bedrock/Estimated cost of team support"]
    assert f'requestMetadata.team = "support" or modelId like "{support}"' in team_query
    assert "Claude on Bedrock/Estimated cost of team data-science" in saved
