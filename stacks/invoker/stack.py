"""Stack: the Claude invoker function for one source Region."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from constructs import Construct

from stacks.invoker.construct import ClaudeInvoker, InvokerProps


@dataclass(frozen=True)
class InvokerExports:
    """What other stacks read of the invoker: the function and its asynchronous alias, its logs and alarm topic."""

    function: lambda_.Function
    async_alias: lambda_.Alias
    log_group: logs.ILogGroup
    alarm_topic: sns.Topic


class InvokerStack(Stack):
    """The function other services invoke to call Claude, with the invocation access it needs and nothing more."""

    def __init__(self, scope: Construct, construct_id: str, *, props: InvokerProps, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        built = ClaudeInvoker(self, "ClaudeInvoker", props=props)
        part, delivery = built.invoker_function, built.delivery
        self.exports = InvokerExports(
            function=part.function,
            async_alias=part.async_alias,
            log_group=built.log_group,
            alarm_topic=built.alarms.alarm_topic.topic,
        )
        CfnOutput(self, "FunctionArn", value=part.function.function_arn, description="lambda:InvokeFunction target")
        CfnOutput(self, "FunctionName", value=part.function.function_name)
        CfnOutput(
            self,
            "InvokeFunctionPolicyArn",
            value=part.invoke_policy.managed_policy_arn,
            description="Attach to a role of another service so it may invoke the function",
        )
        CfnOutput(
            self,
            "AsyncFunctionArn",
            value=part.async_alias.function_arn,
            description="lambda:InvokeFunction target of asynchronous callers (InvocationType=Event)",
        )
        if part.function_url is not None:
            CfnOutput(
                self,
                "FunctionUrl",
                value=part.function_url.url,
                description="POST Messages requests here, signed with SigV4 (service lambda); AuthType AWS_IAM",
            )
        CfnOutput(self, "DeadLetterQueueUrl", value=delivery.dead_letter_queue.queue_url)
        CfnOutput(
            self,
            "AsyncResultsQueueUrl",
            value=delivery.results_queue.queue_url,
            description="Answers (messages or error objects) of asynchronous invocations",
        )
        CfnOutput(
            self,
            "AsyncResultsBucketName",
            value=delivery.results_bucket.bucket_name,
            description="Answers of asynchronous invocations too large for a queue message (pointer in the queue)",
        )
        CfnOutput(
            self,
            "ReadAsyncResultsPolicyArn",
            value=delivery.read_policy.managed_policy_arn,
            description="Attach to the role that reads asynchronous answers (results queue and bucket)",
        )
        CfnOutput(
            self, "AlarmTopicArn", value=self.exports.alarm_topic.topic_arn, description="Subscribe to get alarms"
        )
