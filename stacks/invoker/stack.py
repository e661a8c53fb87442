"""Stack: the Claude invoker function for one source Region."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from core.config import AlarmsConfig, InvokerConfig
from core.guardrails.guardrail import AppliedGuardrail
from core.invocation_access.plan import RegionPlan
from stacks.invoker.construct import ClaudeInvoker


class InvokerStack(Stack):
    """The function other services invoke to call Claude, with the invocation access it needs and nothing more."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        invoker: InvokerConfig,
        plan: RegionPlan,
        log_retention_days: int,
        log_removal_policy: str,
        alarms: AlarmsConfig,
        guardrail: AppliedGuardrail | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.invoker = ClaudeInvoker(
            self,
            "ClaudeInvoker",
            invoker=invoker,
            plan=plan,
            log_retention_days=log_retention_days,
            log_removal_policy=log_removal_policy,
            guardrail=guardrail,
            alarms=alarms,
        )
        function = self.invoker.function
        CfnOutput(self, "FunctionArn", value=function.function.function_arn, description="lambda:InvokeFunction target")
        CfnOutput(self, "FunctionName", value=function.function.function_name)
        CfnOutput(
            self,
            "InvokeFunctionPolicyArn",
            value=function.invoke_policy.managed_policy_arn,
            description="Attach to a role of another service so it may invoke the function",
        )
        CfnOutput(
            self,
            "AsyncFunctionArn",
            value=function.async_alias.function_arn,
            description="lambda:InvokeFunction target of asynchronous callers (InvocationType=Event)",
        )
        CfnOutput(self, "DeadLetterQueueUrl", value=self.invoker.delivery.dead_letter_queue.queue_url)
        CfnOutput(
            self,
            "AsyncResultsQueueUrl",
            value=self.invoker.delivery.results_queue.queue_url,
            description="Answers (messages or error objects) of asynchronous invocations",
        )
        CfnOutput(
            self,
            "AsyncResultsBucketName",
            value=self.invoker.delivery.results_bucket.bucket_name,
            description="Answers of asynchronous invocations too large for a queue message (pointer in the queue)",
        )
        CfnOutput(
            self,
            "ReadAsyncResultsPolicyArn",
            value=self.invoker.delivery.read_policy.managed_policy_arn,
            description="Attach to the role that reads asynchronous answers (results queue and bucket)",
        )
        CfnOutput(
            self, "AlarmTopicArn", value=self.invoker.alarms.topic.topic_arn, description="Subscribe to get alarms"
        )
