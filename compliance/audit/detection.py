"""Checks of what tells someone when logging changes or fails: the tamper-detection rule, the delivery-failure
alarms, and the subscriptions of the topics they notify.

Found by what they do, not by name, so a rule or alarm deployed by another tool counts too: a rule counts when
EventBridge itself (TestEventPattern) says its pattern matches a Put and a Delete of the logging configuration by
an administrator, and it has an SNS target; an alarm counts when it watches Bedrock's delivery-failure metric with
actions enabled and an SNS action.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from compliance.audit.checks import Check
from compliance.aws import AwsError, Client, error_text
from core.catalog.scopes import partition_of
from core.invocation_logging.guard import (
    BEDROCK_METRIC_NAMESPACE,
    CONFIGURATION_CHANGES,
    DELIVERY_FAILURE_METRICS,
    sample_cloudtrail_event,
)

# The caller the probe events name: an administrator who is not this project's deployment.
PROBE_USER = "administrator-probe"
ENABLED_STATES = ("ENABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS")


def _sns_arns(arns: Iterable[str]) -> list[str]:
    return [arn for arn in arns if arn.split(":")[2:3] == ["sns"]]


def check_tamper_rule(events: Client, region: str, account: str) -> tuple[Check, list[str]]:
    """One row: an enabled rule of the default bus catches both calls by an administrator and notifies a topic."""
    name = "events.tamper_rule"
    expected = "enabled rule catches Put/DeleteModelInvocationLoggingConfiguration by an administrator, SNS target"
    caller = f"arn:{partition_of(region)}:iam::{account}:user/{PROBE_USER}"
    probes = [
        json.dumps(sample_cloudtrail_event(call, account=account, region=region, caller_arn=caller))
        for call in CONFIGURATION_CHANGES
    ]
    matching: list[str] = []
    topics: list[str] = []
    try:
        for page in events.get_paginator("list_rules").paginate():
            for rule in page.get("Rules", []):
                if rule.get("State") not in ENABLED_STATES or not rule.get("EventPattern"):
                    continue
                pattern = rule["EventPattern"]
                if not all(events.test_event_pattern(EventPattern=pattern, Event=p).get("Result") for p in probes):
                    continue
                matching.append(rule["Name"])
                for target_page in events.get_paginator("list_targets_by_rule").paginate(Rule=rule["Name"]):
                    topics += _sns_arns(target.get("Arn", "") for target in target_page.get("Targets", []))
    except AwsError as error:
        return Check(name, region, "default event bus", expected, f"cannot read: {error_text(error)}", False), []
    if not matching:
        actual = "no enabled rule matches: a change of the logging configuration would go unnoticed"
        return Check(name, region, "default event bus", expected, actual, False), []
    if not topics:
        actual = f"rule {', '.join(matching)} matches but notifies no SNS topic"
        return Check(name, region, ", ".join(matching), expected, actual, False), []
    actual = f"{', '.join(matching)} notifies {', '.join(dict.fromkeys(topics))}"
    return Check(name, region, ", ".join(matching), expected, actual, True), list(dict.fromkeys(topics))


def check_delivery_alarms(cloudwatch: Client, region: str) -> tuple[list[Check], list[str]]:
    """One row per Bedrock delivery-failure metric: an alarm on it, actions enabled, notifying a topic."""
    checks: list[Check] = []
    topics: list[str] = []
    for metric in DELIVERY_FAILURE_METRICS:
        name = f"cloudwatch.alarm.{metric}"
        expected = f"alarm on {BEDROCK_METRIC_NAMESPACE} {metric} (all models), actions enabled, SNS action"
        try:
            alarms = cloudwatch.describe_alarms_for_metric(MetricName=metric, Namespace=BEDROCK_METRIC_NAMESPACE)
        except AwsError as error:
            checks.append(Check(name, region, metric, expected, f"cannot read: {error_text(error)}", False))
            continue
        found = [a for a in alarms.get("MetricAlarms", []) if not a.get("Dimensions")]
        notifying = [a for a in found if a.get("ActionsEnabled") and _sns_arns(a.get("AlarmActions", []))]
        if notifying:
            names = ", ".join(a["AlarmName"] for a in notifying)
            for alarm in notifying:
                topics += _sns_arns(alarm["AlarmActions"])
            checks.append(Check(name, region, names, expected, f"{names} notifies SNS", True))
        elif found:
            names = ", ".join(a["AlarmName"] for a in found)
            checks.append(Check(name, region, names, expected, "alarm found, but its actions are off or none", False))
        else:
            checks.append(
                Check(name, region, metric, expected, "no alarm: delivery failures would go unnoticed", False)
            )
    return checks, list(dict.fromkeys(topics))


def check_subscriptions(sns: Client, topics: Iterable[str], region: str, account: str) -> list[Check]:
    """One row per topic the rule and alarms notify: someone confirmed a subscription (another account's topic is
    its owner's to check)."""
    name, expected = "sns.topic.subscriptions", "at least one confirmed subscription"
    topics = list(topics)
    if not topics:
        return [Check(name, region, "-", expected, "no rule or alarm notifies a topic", False)]
    checks = []
    for topic in topics:
        owner = topic.split(":")[4]
        if owner != account:
            actual = f"topic of account {owner}: its owner manages and checks the subscriptions"
            checks.append(Check(name, region, topic, expected, actual, True))
            continue
        try:
            subscriptions = [
                s
                for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic)
                for s in page.get("Subscriptions", [])
            ]
        except AwsError as error:
            checks.append(Check(name, region, topic, expected, f"cannot read: {error_text(error)}", False))
            continue
        confirmed = [s for s in subscriptions if str(s.get("SubscriptionArn", "")).startswith("arn:")]
        pending = len(subscriptions) - len(confirmed)
        actual = ", ".join(f"{s.get('Protocol')}:{s.get('Endpoint')}" for s in confirmed) or "none confirmed"
        if pending:
            actual += f" ({pending} pending confirmation)"
        checks.append(Check(name, region, topic, expected, actual, bool(confirmed)))
    return checks
