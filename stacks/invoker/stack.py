"""Stack: the Claude invoker function for one source Region."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from stacks.config import AppConfig
from stacks.invocation_access.construct import ClaudeInvocationAccess
from stacks.invoker.construct import ClaudeInvokerFunction


class InvokerStack(Stack):
    """The function other services invoke to call Claude, with the invocation access it needs and nothing more."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: AppConfig, access: ClaudeInvocationAccess, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        invoker = ClaudeInvokerFunction(self, "ClaudeInvoker", config=config, access=access)
        CfnOutput(self, "FunctionArn", value=invoker.function.function_arn, description="lambda:InvokeFunction target")
        CfnOutput(self, "FunctionName", value=invoker.function.function_name)
        CfnOutput(
            self,
            "InvokeFunctionPolicyArn",
            value=invoker.invoke_policy.managed_policy_arn,
            description="Attach to a role of another service so it may invoke the function",
        )
        CfnOutput(self, "DeadLetterQueueUrl", value=invoker.dead_letter_queue.queue_url)
        CfnOutput(
            self,
            "AsyncResultsQueueUrl",
            value=invoker.async_results_queue.queue_url,
            description="Answers (messages or error objects) of asynchronous invocations",
        )
        CfnOutput(self, "AlarmTopicArn", value=invoker.alarm_topic.topic_arn, description="Subscribe to get alarms")
