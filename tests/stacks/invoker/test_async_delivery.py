"""Where asynchronous invocations end: every answer in the results queue, every failed event in the dead letters."""

from __future__ import annotations

import pytest
from aws_cdk.assertions import Template

from tests.support.logical_ids import ASYNC_RESULTS_QUEUE, DEAD_LETTER_QUEUE, INVOKER_FUNCTION, INVOKER_KEY
from tests.support.synth import Synth
from tests.support.templates import acknowledged_rules, managed_policy_statements, only, resource

FOURTEEN_DAYS = 14 * 24 * 3600


@pytest.fixture(scope="module")
def invoker(default_synth: Synth) -> Template:
    return default_synth.template("ClaudeInvoker-")


def test_both_queues_are_kms_encrypted_kept_14_days_and_tls_only(invoker: Template) -> None:
    for queue_id in (DEAD_LETTER_QUEUE, ASYNC_RESULTS_QUEUE):
        properties = resource(invoker, queue_id)["Properties"]
        assert properties["KmsMasterKeyId"] == {"Fn::GetAtt": [INVOKER_KEY, "Arn"]}, queue_id
        assert properties["MessageRetentionPeriod"] == FOURTEEN_DAYS, queue_id
        (policy,) = [
            p["Properties"]
            for p in invoker.find_resources("AWS::SQS::QueuePolicy").values()
            if p["Properties"]["Queues"] == [{"Ref": queue_id}]
        ]
        (deny,) = policy["PolicyDocument"]["Statement"]
        assert (deny["Effect"], deny["Principal"], deny["Action"]) == ("Deny", {"AWS": "*"}, "sqs:*")
        assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        assert deny["Resource"] == {"Fn::GetAtt": [queue_id, "Arn"]}


def test_failed_events_go_to_the_dead_letter_queue_after_two_retries_within_six_hours(invoker: Template) -> None:
    function = resource(invoker, INVOKER_FUNCTION)["Properties"]
    assert function["DeadLetterConfig"] == {"TargetArn": {"Fn::GetAtt": [DEAD_LETTER_QUEUE, "Arn"]}}
    config = only(invoker, "AWS::Lambda::EventInvokeConfig")["Properties"]
    assert (config["MaximumRetryAttempts"], config["MaximumEventAgeInSeconds"]) == (2, 21600)
    # A dead-letter queue of its own would only move the same events again.
    assert acknowledged_rules(invoker, DEAD_LETTER_QUEUE) == ["AwsSolutions-SQS3"]


def test_answers_of_asynchronous_invocations_are_kept_in_a_queue(invoker: Template) -> None:
    """Bedrock errors are returned, not raised: an asynchronous caller finds them, and messages, in this queue."""
    config = only(invoker, "AWS::Lambda::EventInvokeConfig")["Properties"]
    assert config["DestinationConfig"] == {"OnSuccess": {"Destination": {"Fn::GetAtt": [ASYNC_RESULTS_QUEUE, "Arn"]}}}
    # Results no consumer can process end in the dead-letter queue.
    assert resource(invoker, ASYNC_RESULTS_QUEUE)["Properties"]["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [DEAD_LETTER_QUEUE, "Arn"]},
        "maxReceiveCount": 5,
    }


def test_the_function_may_send_to_both_queues_and_nowhere_else(invoker: Template) -> None:
    (send,) = [s for s in managed_policy_statements(invoker, "InvokerFunctionPolicy") if "sqs" in str(s["Action"])]
    assert send == {
        "Sid": "SendAsynchronousOutcomesToQueues",
        "Effect": "Allow",
        "Action": "sqs:SendMessage",
        "Resource": [{"Fn::GetAtt": [ASYNC_RESULTS_QUEUE, "Arn"]}, {"Fn::GetAtt": [DEAD_LETTER_QUEUE, "Arn"]}],
    }
