"""The invoker stack's outputs: what a service team needs to invoke the function and follow its outcomes."""

from __future__ import annotations

from tests.support import logical_ids as ids
from tests.support.synth import Synth


def test_outputs_name_the_function_its_policy_the_queues_and_the_topic(default_synth: Synth) -> None:
    outputs = default_synth.template("ClaudeInvoker-").to_json()["Outputs"]
    # PublishOutput*: what CDK publishes for the usage stack's references (its dashboard's alarms, the log group).
    assert {name: output["Value"] for name, output in outputs.items() if not name.startswith("PublishOutput")} == {
        "FunctionArn": {"Fn::GetAtt": [ids.INVOKER_FUNCTION, "Arn"]},
        "FunctionName": {"Ref": ids.INVOKER_FUNCTION},
        "InvokeFunctionPolicyArn": {"Ref": ids.INVOKE_FUNCTION_POLICY},
        "AsyncFunctionArn": {"Ref": ids.ASYNC_ALIAS},
        "DeadLetterQueueUrl": {"Ref": ids.DEAD_LETTER_QUEUE},
        "AsyncResultsQueueUrl": {"Ref": ids.ASYNC_RESULTS_QUEUE},
        "AsyncResultsBucketName": {"Ref": ids.ASYNC_RESULTS_BUCKET},
        "ReadAsyncResultsPolicyArn": {"Ref": ids.READ_ASYNC_RESULTS_POLICY},
        "AlarmTopicArn": {"Ref": ids.ALARM_TOPIC},
    }


def test_the_description_names_the_scope_and_region(every_option_synth: Synth) -> None:
    assert every_option_synth.templates["ClaudeInvoker-eu-west-1"]["Description"] == (
        "Lambda function other services invoke to call Claude (eu scope) from eu-west-1"
    )
