"""The invoker function itself: its code, role, policy and who may invoke it. Created in the invoker's scope."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as lambda_destinations
from aws_cdk import aws_logs as logs
from constructs import Construct

from core.config import InvokerConfig
from core.invocation_access.permissions import Statement, sid
from core.invoker.environment import ASYNC_ALIAS, RESULTS_PREFIX, URL_ALIAS
from stacks.invoker.async_delivery import AsyncDelivery
from stacks.invoker.network import InvokerNetwork
from stacks.shared.log_groups import allow_writing_log_streams
from stacks.shared.nag import acknowledge, acknowledge_in_regulatory_packs

# The function's code lives outside the infrastructure code, found relative to this file.
FUNCTION_CODE = Path(__file__).resolve().parents[2] / "lambda" / "invoker"
ASSET_EXCLUDE = ["**/__pycache__", "*.pyc", ".*"]
RUNTIME = lambda_.Runtime.PYTHON_3_14  # the newest Python runtime the pinned aws-cdk-lib offers


class InvokerFunction:
    def __init__(
        self,
        scope: Construct,
        *,
        invoker: InvokerConfig,
        endpoint_scope: str,
        environment: dict[str, str],
        model_policies: Sequence[Sequence[Statement]],
        key: kms.IKey,
        log_group: logs.ILogGroup,
        delivery: AsyncDelivery,
        network: InvokerNetwork | None,
    ) -> None:
        role = self._role(scope, model_policies)
        self._grant(scope, model_policies[0], key=key, log_group=log_group, delivery=delivery, network=network)
        self.function = lambda_.Function(
            scope,
            "InvokerFunction",
            description=f"Calls Claude on Amazon Bedrock through the {endpoint_scope} inference profile",
            runtime=RUNTIME,
            architecture=lambda_.Architecture.ARM_64,
            handler="handler.handler",
            # No layer: the standard library and botocore (from the runtime) are all the function imports.
            code=lambda_.Code.from_asset(str(FUNCTION_CODE), exclude=ASSET_EXCLUDE),
            memory_size=invoker.memory_mb,
            timeout=Duration.seconds(invoker.timeout_seconds),
            reserved_concurrent_executions=invoker.reserved_concurrency,
            tracing=lambda_.Tracing.ACTIVE,
            role=role.without_policy_updates(),
            log_group=log_group,
            # The runtime writes each log record as JSON (claude_invoker/telemetry.py). INFO, pinned: the metrics
            # are JSON lines on stdout without a level, which Lambda files as INFO and would drop above it.
            logging_format=lambda_.LoggingFormat.JSON,
            application_log_level_v2=lambda_.ApplicationLogLevel.INFO,
            environment=environment,
            environment_encryption=key,
            dead_letter_queue=delivery.dead_letter_queue,
            # Unqualified asynchronous invocations still deliver their answers; callers should use the alias.
            **_asynchronous(delivery),
            **(network.function_props() if network else {}),
        )
        self._acknowledge(invoker)
        # Asynchronous callers invoke this alias: the function sees it in its invoked ARN and keeps answers too
        # large for the queue in the results bucket. It follows $LATEST, so a deployment publishes no versions.
        self.async_alias = lambda_.Alias(
            scope,
            "InvokerAsyncAlias",
            alias_name=ASYNC_ALIAS,
            version=self.function.latest_version,
            description="Asynchronous invocations: answers to the results queue, large ones to the results bucket",
            **_asynchronous(delivery),
        )
        # The function URL's alias: callers may invoke it only through the URL (IAM authenticates them), so the
        # function, seeing this qualifier, believes the principal in the request. Synchronous: no destinations.
        self.url_alias = (
            lambda_.Alias(
                scope,
                "InvokerUrlAlias",
                alias_name=URL_ALIAS,
                version=self.function.latest_version,
                description="Behind the function URL (AuthType AWS_IAM): invoked only through it",
            )
            if invoker.function_url
            else None
        )
        # BUFFERED (the default): responses up to 6 MB; the Python managed runtime cannot stream (docs/callers).
        self.function_url = (
            self.url_alias.add_function_url(auth_type=lambda_.FunctionUrlAuthType.AWS_IAM) if self.url_alias else None
        )
        self.invoke_policy = self._callers(scope, invoker)

    def _role(self, scope: Construct, model_policies: Sequence[Sequence[Statement]]) -> iam.Role:
        """The function's role: its own managed policy (`policy`) and, when the model statements outgrow it, further
        parts (`model_policies`)."""
        # Every permission of the function in one customer-managed policy a reviewer can read; the role is
        # immutable so no construct adds an inline policy behind it.
        self.policy = iam.ManagedPolicy(
            scope,
            "InvokerFunctionPolicy",
            description="Claude invoker: its own logs, traces and dead-letter queue, and the allowed Claude models",
        )
        role = iam.Role(
            scope,
            "InvokerFunctionRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Claude invoker: write its own logs and invoke the allowed Claude models, nothing else",
            managed_policies=[self.policy],
        )
        # Model statements that outgrow the function's own policy (many models): further parts on the same role.
        self.model_policies = [
            iam.ManagedPolicy(
                scope,
                f"InvokerModelPolicy{number}",
                description=f"Claude invoker: the allowed Claude models (part {number} of {len(model_policies)})",
                statements=[iam.PolicyStatement.from_json(statement) for statement in statements],
                roles=[role],
            )
            for number, statements in enumerate(model_policies[1:], start=2)
        ]
        return role

    def _grant(
        self,
        scope: Construct,
        model_statements: Sequence[Statement],
        *,
        key: kms.IKey,
        log_group: logs.ILogGroup,
        delivery: AsyncDelivery,
        network: InvokerNetwork | None,
    ) -> None:
        """The function's own policy: its logs, traces, queues, stored answers and key, and the first model part."""
        bucket_id = Stack.of(scope).get_logical_id(delivery.results_bucket.node.default_child)  # type: ignore[arg-type]
        acknowledge(
            self.policy,
            f"AwsSolutions-IAM5[Resource::<{bucket_id}.Arn>/{RESULTS_PREFIX}*]",
            "The function stores each asynchronous answer too large for the results queue under results/, named at "
            "run time by the date and the Lambda request ID; it may put objects there and do nothing else.",
        )
        acknowledge(
            self.policy,
            "AwsSolutions-IAM5[Resource::*]",
            "X-Ray active tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) and, with invoker_vpc, the "
            "network-interface actions Lambda performs with the execution role have no resource-level "
            "permissions; AWS documents them with Resource '*'.",
        )
        allow_writing_log_streams(
            self.policy,
            log_group,
            sid="WriteOwnLogs",
            whose="the function's own log group",
            named_by="Lambda names each stream at run time",
        )
        self.policy.add_statements(
            iam.PolicyStatement(
                sid="XRayActiveTracing",
                actions=["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                resources=["*"],
            ),
            iam.PolicyStatement(
                sid="SendAsynchronousOutcomesToQueues", actions=["sqs:SendMessage"], resources=delivery.queue_arns
            ),
            iam.PolicyStatement(
                sid="KeepLargeAsynchronousAnswers", actions=["s3:PutObject"], resources=[delivery.results_object_arn]
            ),
            iam.PolicyStatement(
                sid="UseInvokerKey", actions=["kms:Decrypt", "kms:GenerateDataKey"], resources=[key.key_arn]
            ),
            *(iam.PolicyStatement.from_json(statement) for statement in model_statements),
        )
        if network is not None:
            self.policy.add_statements(network.execution_role_statement())

    def _callers(self, scope: Construct, invoker: InvokerConfig) -> iam.ManagedPolicy:
        """Who may invoke the function and its alias: a policy to attach, and a permission per configured caller."""
        account = Stack.of(scope).account
        invoke_policy = iam.ManagedPolicy(
            scope,
            "InvokeFunctionPolicy",
            description="Invoke the Claude invoker function",
            statements=[
                iam.PolicyStatement(
                    sid="InvokeClaudeInvoker",
                    actions=["lambda:InvokeFunction"],
                    resources=[self.function.function_arn, self.async_alias.function_arn],
                ),
                *(_url_statements(self.url_alias.function_arn) if self.url_alias else []),
            ],
        )
        for caller in invoker.callers:
            # A stable id per caller: the same caller keeps the same permission whatever else changes.
            self.function.add_permission(sid("Invoke by", caller), **_caller_permission(caller, account))
            self.async_alias.add_permission(sid("Invoke async by", caller), **_caller_permission(caller, account))
            if self.url_alias and not caller.endswith(".amazonaws.com"):  # a service cannot sign as a principal
                principal = _caller_permission(caller, account)["principal"]
                self.url_alias.add_permission(
                    sid("Invoke url by", caller),
                    principal=principal,
                    action="lambda:InvokeFunctionUrl",
                    function_url_auth_type=lambda_.FunctionUrlAuthType.AWS_IAM,
                )
                self.url_alias.add_permission(
                    sid("Invoke through url by", caller),
                    principal=principal,
                    action="lambda:InvokeFunction",
                    invoked_via_function_url=True,
                )
        return invoke_policy

    def _acknowledge(self, invoker: InvokerConfig) -> None:
        if not invoker.vpc:
            acknowledge_in_regulatory_packs(
                self.function,
                "LambdaInsideVPC",
                "The function calls only AWS APIs (Amazon Bedrock Runtime, CloudWatch, X-Ray) over TLS with SigV4 "
                "and IAM-scoped credentials; it holds no network-reachable data and accepts no inbound connections. "
                "Set invoker_vpc=true to run it in isolated subnets with a bedrock-runtime interface endpoint.",
            )
        if invoker.reserved_concurrency is None:
            acknowledge_in_regulatory_packs(
                self.function,
                "LambdaConcurrency",
                "Reserved concurrency is a deployment choice (invoker_reserved_concurrency): reserving it in a "
                "new account with a low concurrency quota fails the deployment; Bedrock's own quotas bound use.",
            )


def _asynchronous(delivery: AsyncDelivery) -> dict[str, Any]:
    """Where asynchronous invocations end: answers to the results queue, after two retries of a failure."""
    return {
        "on_success": lambda_destinations.SqsDestination(delivery.results_queue),
        "retry_attempts": 2,
        "max_event_age": Duration.hours(6),
    }


def _url_statements(url_alias_arn: str) -> list[iam.PolicyStatement]:
    """What a caller needs to call through the function URL: both actions since October 2025 ("new function URLs
    will require both lambda:InvokeFunctionUrl and lambda:InvokeFunction permissions", AWS Lambda developer guide,
    "Control access to Lambda function URLs", https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html), each
    limited to the URL: InvokeFunctionUrl to AWS_IAM auth, InvokeFunction to invocations through a function URL
    (`lambda:InvokedViaFunctionUrl`), so the alias cannot be invoked directly with an event naming a principal."""
    return [
        iam.PolicyStatement(
            sid="InvokeClaudeInvokerUrl",
            actions=["lambda:InvokeFunctionUrl"],
            resources=[url_alias_arn],
            conditions={"StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}},
        ),
        iam.PolicyStatement(
            sid="InvokeClaudeInvokerThroughUrl",
            actions=["lambda:InvokeFunction"],
            resources=[url_alias_arn],
            conditions={"Bool": {"lambda:InvokedViaFunctionUrl": "true"}},
        ),
    ]


def _caller_permission(caller: str, account: str) -> dict[str, Any]:
    """`add_permission` arguments for one configured caller."""
    if caller.endswith(".amazonaws.com"):
        # A service principal may invoke only on behalf of this account (confused-deputy protection).
        return {"principal": iam.ServicePrincipal(caller), "source_account": account}
    return {"principal": iam.AccountPrincipal(caller) if caller.isdigit() else iam.ArnPrincipal(caller)}
