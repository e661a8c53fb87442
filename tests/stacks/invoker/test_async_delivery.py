"""Where asynchronous invocations end: every answer in the results queue (a large one in the results bucket, with a
pointer in the queue), every failed event in the dead letters, and an alarm when a record cannot be delivered."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Template

from tests.support.logical_ids import (
    ASYNC_ALIAS,
    ASYNC_RESULTS_BUCKET,
    ASYNC_RESULTS_QUEUE,
    DEAD_LETTER_QUEUE,
    INVOKER_FUNCTION,
    INVOKER_KEY,
    RESULTS_ACCESS_LOG_BUCKET,
)
from tests.support.synth import Synth
from tests.support.templates import acknowledged_rules, managed_policy_statements, resource

DAY = 24 * 3600


@pytest.fixture(scope="module")
def invoker(default_synth: Synth) -> Template:
    return default_synth.template("ClaudeInvoker-")


# How CloudFormation names the alias's qualifier: the last part of the alias ARN (which `Ref` returns).
ALIAS_QUALIFIER = {"Fn::Select": [7, {"Fn::Split": [":", {"Ref": ASYNC_ALIAS}]}]}


def event_invoke_configs(template: Template) -> dict[str, dict[str, Any]]:
    """The EventInvokeConfig of each qualifier ("async" for the alias)."""
    configs = template.find_resources("AWS::Lambda::EventInvokeConfig").values()
    named = {"$LATEST": "$LATEST", str(ALIAS_QUALIFIER): "async"}
    return {named[str(c["Properties"]["Qualifier"])]: c["Properties"] for c in configs}


def test_queues_are_kms_encrypted_tls_only_and_the_dead_letters_outlive_the_results(invoker: Template) -> None:
    retention = {DEAD_LETTER_QUEUE: 14 * DAY, ASYNC_RESULTS_QUEUE: 14 * DAY}
    for queue_id, seconds in retention.items():
        properties = resource(invoker, queue_id)["Properties"]
        assert properties["KmsMasterKeyId"] == {"Fn::GetAtt": [INVOKER_KEY, "Arn"]}, queue_id
        assert properties["MessageRetentionPeriod"] == seconds, queue_id
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
    for qualifier, config in event_invoke_configs(invoker).items():
        assert (config["MaximumRetryAttempts"], config["MaximumEventAgeInSeconds"]) == (2, 21600), qualifier
    # A dead-letter queue of its own would only move the same events again.
    assert acknowledged_rules(invoker, DEAD_LETTER_QUEUE) == ["AwsSolutions-SQS3"]


def test_answers_of_asynchronous_invocations_are_kept_in_a_queue(invoker: Template) -> None:
    """Bedrock errors are returned, not raised: an asynchronous caller finds them, and messages, in this queue,
    whether it invoked the asynchronous alias (as documented) or the function itself."""
    configs = event_invoke_configs(invoker)
    assert set(configs) == {"$LATEST", "async"}
    results = {"OnSuccess": {"Destination": {"Fn::GetAtt": [ASYNC_RESULTS_QUEUE, "Arn"]}}}
    assert all(config["DestinationConfig"] == results for config in configs.values())
    assert configs["async"]["FunctionName"] == {"Ref": INVOKER_FUNCTION}
    alias = resource(invoker, ASYNC_ALIAS)["Properties"]
    assert (alias["Name"], alias["FunctionVersion"], alias["FunctionName"]) == (
        "async",
        "$LATEST",
        {"Ref": INVOKER_FUNCTION},
    )
    # The function learns the alias name and the bucket from its environment.
    env = resource(invoker, INVOKER_FUNCTION)["Properties"]["Environment"]["Variables"]
    assert (env["INVOKER_ASYNC_ALIAS"], env["INVOKER_RESULTS_BUCKET"]) == ("async", {"Ref": ASYNC_RESULTS_BUCKET})
    # Results no consumer can process end in the dead-letter queue.
    assert resource(invoker, ASYNC_RESULTS_QUEUE)["Properties"]["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [DEAD_LETTER_QUEUE, "Arn"]},
        "maxReceiveCount": 5,
    }


def test_the_results_bucket_is_encrypted_with_the_invokers_key_private_and_expires_with_the_queue(
    invoker: Template,
) -> None:
    bucket = resource(invoker, ASYNC_RESULTS_BUCKET)
    properties = bucket["Properties"]
    (rule,) = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule == {
        "BucketKeyEnabled": True,
        "ServerSideEncryptionByDefault": {
            "KMSMasterKeyID": {"Fn::GetAtt": [INVOKER_KEY, "Arn"]},
            "SSEAlgorithm": "aws:kms",
        },
    }
    assert properties["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    (expire,) = [r for r in properties["LifecycleConfiguration"]["Rules"] if r["Id"] == "ExpireAfterRetention"]
    assert expire["ExpirationInDays"] == 14
    assert properties["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": RESULTS_ACCESS_LOG_BUCKET}
    assert (bucket["DeletionPolicy"], bucket["UpdateReplacePolicy"]) == ("Retain", "Retain")
    statements = next(
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in invoker.find_resources("AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": ASYNC_RESULTS_BUCKET}
    )
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in statements
    )


def test_results_retention_is_configurable_and_the_dead_letters_keep_14_days(every_option_synth: Synth) -> None:
    assert every_option_synth.config.invoker.results_retention_days == 2
    template = every_option_synth.template("ClaudeInvoker-")
    assert resource(template, ASYNC_RESULTS_QUEUE)["Properties"]["MessageRetentionPeriod"] == 2 * DAY
    assert resource(template, DEAD_LETTER_QUEUE)["Properties"]["MessageRetentionPeriod"] == 14 * DAY
    rules = resource(template, ASYNC_RESULTS_BUCKET)["Properties"]["LifecycleConfiguration"]["Rules"]
    (expire,) = [r for r in rules if r["Id"] == "ExpireAfterRetention"]
    assert expire["ExpirationInDays"] == 2
    env = resource(template, INVOKER_FUNCTION)["Properties"]["Environment"]["Variables"]
    assert env["INVOKER_RESULTS_RETENTION_DAYS"] == "2"
    # The configured Bedrock options reach the function too.
    assert (env["BEDROCK_SERVICE_TIER"], env["BEDROCK_PERFORMANCE_LATENCY"]) == ("flex", "optimized")


def test_the_function_may_send_to_both_queues_and_put_results_nowhere_else(invoker: Template) -> None:
    statements = managed_policy_statements(invoker, "InvokerFunctionPolicy")
    (send,) = [s for s in statements if "sqs" in str(s["Action"])]
    assert send == {
        "Sid": "SendAsynchronousOutcomesToQueues",
        "Effect": "Allow",
        "Action": "sqs:SendMessage",
        "Resource": [{"Fn::GetAtt": [ASYNC_RESULTS_QUEUE, "Arn"]}, {"Fn::GetAtt": [DEAD_LETTER_QUEUE, "Arn"]}],
    }
    (put,) = [s for s in statements if "s3:" in str(s["Action"])]
    assert put == {
        "Sid": "KeepLargeAsynchronousAnswers",
        "Effect": "Allow",
        "Action": "s3:PutObject",
        "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": [ASYNC_RESULTS_BUCKET, "Arn"]}, "/results/*"]]},
    }
