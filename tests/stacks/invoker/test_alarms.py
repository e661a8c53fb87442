"""The invoker's alarms: function errors, throttles, duration near the timeout, undelivered asynchronous records,
events in the dead-letter queue."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Template

from tests.support.logical_ids import ALARM_TOPIC, DEAD_LETTER_QUEUE, INVOKER_FUNCTION, INVOKER_KEY
from tests.support.synth import Synth
from tests.support.templates import resource


@pytest.fixture(scope="module")
def invoker(default_synth: Synth) -> Template:
    return default_synth.template("ClaudeInvoker-")


def alarms_by_metric(template: Template) -> dict[str, dict[str, Any]]:
    alarms = template.find_resources("AWS::CloudWatch::Alarm").values()
    return {a["Properties"]["MetricName"]: a["Properties"] for a in alarms}


def test_alarms_cover_errors_throttles_duration_and_dead_letters(invoker: Template) -> None:
    by_metric = alarms_by_metric(invoker)
    assert set(by_metric) == {
        "Errors",
        "Throttles",
        "Duration",
        "DestinationDeliveryFailures",
        "ApproximateNumberOfMessagesVisible",
    }
    # By function name: every version and alias, the asynchronous alias included (AWS/Lambda dimensions).
    function = [{"Name": "FunctionName", "Value": {"Ref": INVOKER_FUNCTION}}]
    for metric in ("Errors", "Throttles", "Duration", "DestinationDeliveryFailures"):
        assert (by_metric[metric]["Namespace"], by_metric[metric]["Dimensions"]) == ("AWS/Lambda", function)
    queue = by_metric["ApproximateNumberOfMessagesVisible"]
    assert queue["Namespace"] == "AWS/SQS"
    assert queue["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": [DEAD_LETTER_QUEUE, "QueueName"]}}]


def test_thresholds_one_failure_or_80_percent_of_the_timeout(invoker: Template) -> None:
    by_metric = alarms_by_metric(invoker)
    assert by_metric["Duration"]["Threshold"] == 900 * 1000 * 0.8
    assert by_metric["Duration"]["Statistic"] == "Maximum"
    # One record Lambda could not deliver is an answer lost: alarm on the first.
    assert by_metric["DestinationDeliveryFailures"]["Statistic"] == "Sum"
    for metric in ("Errors", "Throttles", "DestinationDeliveryFailures", "ApproximateNumberOfMessagesVisible"):
        assert by_metric[metric]["Threshold"] == 1, metric
    for alarm in by_metric.values():
        assert (alarm["Period"], alarm["EvaluationPeriods"]) == (300, 1)
        assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
        # No data (no invocation) is not an alarm.
        assert alarm["TreatMissingData"] == "notBreaching"


def test_every_alarm_notifies_the_encrypted_topic(invoker: Template) -> None:
    for alarm in alarms_by_metric(invoker).values():
        assert alarm["AlarmActions"] == [{"Ref": ALARM_TOPIC}]
    topic = resource(invoker, ALARM_TOPIC)["Properties"]
    assert topic["KmsMasterKeyId"] == {"Fn::GetAtt": [INVOKER_KEY, "Arn"]}
    # CloudWatch may use the key to publish to the encrypted topic: decrypt and data keys only, and only for this
    # account's alarms (evaluated in tests/stacks/test_alarm_topic.py).
    statements = resource(invoker, INVOKER_KEY)["Properties"]["KeyPolicy"]["Statement"]
    assert [s["Action"] for s in statements if s["Principal"] == {"Service": "cloudwatch.amazonaws.com"}] == [
        ["kms:Decrypt", "kms:GenerateDataKey*"]
    ]
