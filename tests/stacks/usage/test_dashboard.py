"""The saved Logs Insights queries and the dashboard, as deployed: which log groups, which metrics, which alarms.

Metric names and dimensions below are written from their sources (the invoker's handler, AWS's Bedrock metrics
pages), not read from core/usage/metrics.py; tests/lambda/invoker/test_usage_contract.py runs the handler and
compares what it emits.
"""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_cloudwatch as cloudwatch

from stacks.deployment import build_stacks
from stacks.usage.stack import UsageStack
from tests.support import logical_ids as ids
from tests.support.project import FEATURE_FLAGS, config_for
from tests.support.synth import Synth, deployment_plan

INVOKER_SCHEMA = "{ClaudeOnBedrock,Model,Scope,service}"
ERRORS_SCHEMA = "{ClaudeOnBedrock,ErrorType,Model,Scope,service}"
BEDROCK_SCHEMA = "{AWS/Bedrock,ModelId}"


@pytest.fixture(scope="module")
def usage(default_synth: Synth) -> dict[str, Any]:
    template: dict[str, Any] = default_synth.templates[default_synth.stack_name("ClaudeUsage-")]
    return template


@pytest.fixture(scope="module")
def log_groups(default_synth: Synth) -> tuple[str, str]:
    """The deployed names of the invocation log group and of the invoker's log group, in the sample account."""
    logging = default_synth.values("ClaudeInvocationLogging-")
    invoker = default_synth.values("ClaudeInvoker-")
    return logging.physical_name(ids.LOG_GROUP), invoker.physical_name(ids.INVOKER_LOG_GROUP)


@pytest.fixture(scope="module")
def body(usage: dict[str, Any], default_synth: Synth) -> dict[str, Any]:
    dashboard = usage["Resources"][ids.USAGE_DASHBOARD]["Properties"]
    parsed: dict[str, Any] = json.loads(default_synth.values("ClaudeUsage-").resolve(dashboard["DashboardBody"]))
    return parsed


def test_each_insights_query_is_saved_on_its_log_group(
    usage: dict[str, Any], default_synth: Synth, log_groups: tuple[str, str]
) -> None:
    values = default_synth.values("ClaudeUsage-")
    saved = {
        q["Properties"]["Name"]: values.resolve(q["Properties"])
        for q in usage["Resources"].values()
        if q["Type"] == "AWS::Logs::QueryDefinition"
    }
    invocation_log, invoker_log = log_groups
    assert invocation_log.startswith("/aws/bedrock/model-invocations/")
    assert {name: q["LogGroupNames"] for name, q in saved.items()} == {
        "Claude on Bedrock/Tokens by caller": [invocation_log],
        "Claude on Bedrock/Tokens by model and profile": [invocation_log],
        "Claude on Bedrock/Calls and tokens by operation": [invocation_log],
        "Claude on Bedrock/Estimated cost by day, caller, team and model": [invocation_log],
        "Claude on Bedrock/Errors by model, code and caller": [invocation_log],
        "Claude on Bedrock/Largest calls": [invocation_log],
        "Claude on Bedrock/Slowest Converse calls": [invocation_log],
        "Claude on Bedrock/Invoker calls by user and model": [invocation_log],
        "Claude on Bedrock/Slowest invoker calls": [invoker_log],
    }
    assert {q["QueryLanguage"] for q in saved.values()} == {"CWLI"}
    tokens = saved["Claude on Bedrock/Tokens by caller"]["QueryString"]
    assert tokens.startswith("fields identity.arn as caller, input.inputTokenCount as input_tokens")
    assert "by caller" in tokens


def _expressions(widget: dict[str, Any]) -> list[str]:
    return [m[0]["expression"] for m in widget["properties"].get("metrics", []) if "expression" in m[0]]


def _widget(body: dict[str, Any], title: str) -> dict[str, Any]:
    (found,) = [w for w in body["widgets"] if w["properties"].get("title") == title]
    return found


def test_the_invoker_row_shows_invocations_errors_latency_and_tokens(body: dict[str, Any]) -> None:
    assert _expressions(_widget(body, "Invoker: invocations and errors by type")) == [
        f"SEARCH('{INVOKER_SCHEMA} MetricName=\"Invocations\"', 'Sum', 300)",
        f"SEARCH('{ERRORS_SCHEMA} MetricName=\"Errors\"', 'Sum', 300)",
    ]
    assert _expressions(_widget(body, "Invoker: Bedrock call latency (ms)")) == [
        f"SEARCH('{INVOKER_SCHEMA} MetricName=\"Latency\"', '{p}', 300)" for p in ("p50", "p90", "p99")
    ]
    assert _expressions(_widget(body, "Invoker: tokens")) == [
        f"SEARCH('{INVOKER_SCHEMA} MetricName=\"InputTokens\"', 'Sum', 300)",
        f"SEARCH('{INVOKER_SCHEMA} MetricName=\"OutputTokens\"', 'Sum', 300)",
    ]


def test_the_bedrock_row_searches_every_model_id(body: dict[str, Any]) -> None:
    assert _expressions(_widget(body, "Bedrock: invocations, throttles and errors")) == [
        f"SEARCH('{BEDROCK_SCHEMA} MetricName=\"{m}\"', 'Sum', 300)"
        for m in ("Invocations", "InvocationThrottles", "InvocationClientErrors", "InvocationServerErrors")
    ]
    assert _expressions(_widget(body, "Bedrock: invocation latency (ms)")) == [
        f"SEARCH('{BEDROCK_SCHEMA} MetricName=\"InvocationLatency\"', '{p}', 300)" for p in ("p50", "p90", "p99")
    ]
    assert _expressions(_widget(body, "Bedrock: tokens")) == [
        f"SEARCH('{BEDROCK_SCHEMA} MetricName=\"InputTokenCount\"', 'Sum', 300)",
        f"SEARCH('{BEDROCK_SCHEMA} MetricName=\"OutputTokenCount\"', 'Sum', 300)",
    ]


def test_log_delivery_successes_and_failures_without_dimensions(body: dict[str, Any]) -> None:
    widget = _widget(body, "Invocation-log delivery: successes and failures")
    metrics = widget["properties"]["metrics"]
    # [namespace, name, {options}]: no dimension between name and options ("across all model IDs").
    named = [(m[0], m[1], m[2].get("yAxis", "left")) for m in metrics]
    assert named == [
        ("AWS/Bedrock", "ModelInvocationLogsCloudWatchDeliverySuccess", "left"),
        ("AWS/Bedrock", "ModelInvocationLogsS3DeliverySuccess", "left"),
        ("AWS/Bedrock", "ModelInvocationLargeDataS3DeliverySuccess", "left"),
        ("AWS/Bedrock", "ModelInvocationLogsCloudWatchDeliveryFailure", "right"),
        ("AWS/Bedrock", "ModelInvocationLogsS3DeliveryFailure", "right"),
        ("AWS/Bedrock", "ModelInvocationLargeDataS3DeliveryFailure", "right"),
    ]
    assert all(len(m) == 3 and m[2]["stat"] == "Sum" for m in metrics)


def test_the_alarm_widget_shows_every_alarm_of_the_regions_stacks(body: dict[str, Any], default_synth: Synth) -> None:
    widget = _widget(body, "Alarms of this Region's stacks")
    alarms = []
    for prefix in ("ClaudeInvoker-", "ClaudeInvocationLogging-"):
        resources = default_synth.templates[default_synth.stack_name(prefix)]["Resources"]
        values = default_synth.values(prefix)
        alarms += [values.arn(name) for name, r in resources.items() if r["Type"] == "AWS::CloudWatch::Alarm"]
    # The invoker's (errors, throttles, duration, dead letters) and the logging stack's (delivery, audit, tamper).
    assert len(alarms) >= 8
    assert sorted(widget["properties"]["alarms"]) == sorted(alarms)


def test_the_table_of_tokens_by_caller_reads_the_invocation_log(
    body: dict[str, Any], log_groups: tuple[str, str]
) -> None:
    widget = _widget(body, "Tokens by caller")
    assert widget["type"] == "log"
    assert widget["properties"]["query"].startswith(f"SOURCE '{log_groups[0]}' | fields identity.arn as caller")
    assert widget["properties"]["view"] == "table"


def test_each_regions_dashboard_shows_that_regions_alarms_only() -> None:
    app = cdk.App(context=FEATURE_FLAGS)
    config = config_for(regions=["us-east-1", "eu-west-1"])
    stacks = build_stacks(app, config, deployment_plan(config))
    for usage in (s for s in stacks if isinstance(s, UsageStack)):
        own = [
            c
            for s in stacks
            if s.region == usage.region and not isinstance(s, UsageStack)
            for c in s.node.find_all()
            if isinstance(c, cloudwatch.Alarm)
        ]
        imported = [c for c in usage.node.find_all() if "Alarm" in c.node.id and not c.node.children]
        assert len(own) >= 8 and len(imported) == len(own), usage.stack_name
        paths = {c.node.id for c in imported}
        assert all(usage.region.replace("-", "") in path.lower().replace("-", "") for path in paths), paths
