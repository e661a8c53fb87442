"""Construct: the Claude invoker function, its encryption, dead-letter queue, alarms and invoke policy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as lambda_destinations
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from stacks.compliance import acknowledge, acknowledge_all_packs
from stacks.config import AppConfig
from stacks.encryption import allow_cloudwatch_logs
from stacks.invocation_access.construct import ClaudeInvocationAccess
from stacks.invocation_access.permissions import invoke_actions
from stacks.retention import removal_policy, retention_days

# The function's code lives outside the infrastructure code, found relative to this file.
FUNCTION_CODE = Path(__file__).resolve().parents[2] / "lambda" / "invoker"
POWERTOOLS_LAYER_ACCOUNT = "017000801446"  # AWS-published Powertools for AWS Lambda (Python) layers
RUNTIME = lambda_.Runtime.PYTHON_3_14  # the newest Python runtime the pinned aws-cdk-lib offers
# Time kept back from the function timeout so a Bedrock read never outlives the invocation.
READ_TIMEOUT_MARGIN_SECONDS = 20


def function_environment(config: AppConfig, access: ClaudeInvocationAccess) -> dict[str, str]:
    """The environment contract of lambda/invoker/handler.py, from the catalog."""
    models = {
        p.model.alias: {
            "name": p.model.name,
            "model_id": p.model.model_id,
            "profile_id": p.profile_id,
            "long_context": p.model.long_context,
            "context_window": p.model.context_window,
        }
        for p in access.profiles
    }
    return {
        "CLAUDE_MODELS": json.dumps(models, separators=(",", ":")),
        "CLAUDE_DEFAULT_MODEL": config.default_model.alias,
        "CLAUDE_ENDPOINT_SCOPE": config.endpoint_scope,
        "BEDROCK_READ_TIMEOUT_SECONDS": str(config.invoker_timeout_seconds - READ_TIMEOUT_MARGIN_SECONDS),
        "BEDROCK_CONNECT_TIMEOUT_SECONDS": "5",
        "BEDROCK_MAX_ATTEMPTS": "3",
        "INVOKER_LOG_PROMPTS": str(config.invoker_log_prompts).lower(),
        "POWERTOOLS_SERVICE_NAME": "claude-invoker",
        "POWERTOOLS_METRICS_NAMESPACE": "ClaudeOnBedrock",
        "POWERTOOLS_LOG_LEVEL": "INFO",
    }


class ClaudeInvokerFunction(Construct):
    """A Lambda function other services invoke to call Claude through the configured inference profile."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: AppConfig, access: ClaudeInvocationAccess
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        removal = removal_policy(config.log_removal_policy)

        self.key = kms.Key(
            self,
            "InvokerKey",
            description="Encrypts the Claude invoker's environment, logs, dead-letter queue and alarm topic",
            enable_key_rotation=True,
            removal_policy=removal,
        )
        self.log_group = logs.LogGroup(
            self,
            "InvokerLogGroup",
            retention=retention_days(config.log_retention_days),
            encryption_key=self.key,
            removal_policy=removal,
        )
        # CloudWatch Logs encrypts with the key only for log groups of this account and Region.
        allow_cloudwatch_logs(
            self.key,
            sid="AllowCloudWatchLogsForThisAccountsLogGroups",
            region=stack.region,
            log_group_arns=f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:log-group:*",
        )
        self.dead_letter_queue = sqs.Queue(
            self,
            "InvokerDeadLetterQueue",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=self.key,
            enforce_ssl=True,
            retention_period=Duration.days(14),
        )
        acknowledge(
            self.dead_letter_queue,
            "AwsSolutions-SQS3",
            "This queue is the dead-letter queue of the invoker's asynchronous invocations; a dead-letter "
            "queue of a dead-letter queue would only move the same events again.",
        )
        # Asynchronous callers get no return value: the function's answer, a message or an error object
        # (Bedrock errors are returned, not raised), is delivered here, so no answer is lost.
        self.async_results_queue = sqs.Queue(
            self,
            "InvokerAsyncResultsQueue",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=self.key,
            enforce_ssl=True,
            retention_period=Duration.days(14),
            dead_letter_queue=sqs.DeadLetterQueue(queue=self.dead_letter_queue, max_receive_count=5),
        )

        # Every permission of the function in one customer-managed policy a reviewer can read; the role is
        # immutable so no construct adds an inline policy behind it.
        self.function_policy = iam.ManagedPolicy(
            self,
            "InvokerFunctionPolicy",
            description="Claude invoker: its own logs, traces and dead-letter queue, and the allowed Claude models",
        )
        role = iam.Role(
            self,
            "InvokerFunctionRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Claude invoker: write its own logs and invoke the allowed Claude models, nothing else",
            managed_policies=[self.function_policy],
        )
        self.role = role.without_policy_updates()
        self.function_policy.add_statements(
            iam.PolicyStatement(
                sid="WriteOwnLogs",
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[self.log_group.log_group_arn, f"{self.log_group.log_group_arn}:log-stream:*"],
            ),
            iam.PolicyStatement(
                sid="XRayActiveTracing",
                actions=["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                resources=["*"],
            ),
            iam.PolicyStatement(
                sid="SendAsynchronousOutcomesToQueues",
                actions=["sqs:SendMessage"],
                resources=[self.dead_letter_queue.queue_arn, self.async_results_queue.queue_arn],
            ),
            iam.PolicyStatement(
                sid="UseInvokerKey",
                actions=["kms:Decrypt", "kms:GenerateDataKey"],
                resources=[self.key.key_arn],
            ),
            *access.statements(invoke_actions(False)),
        )

        network = self._network(config) if config.invoker_vpc else {}
        self.function = lambda_.Function(
            self,
            "InvokerFunction",
            description=f"Calls Claude on Amazon Bedrock through the {config.endpoint_scope} inference profile",
            runtime=RUNTIME,
            architecture=lambda_.Architecture.ARM_64,
            handler="handler.handler",
            code=lambda_.Code.from_asset(str(FUNCTION_CODE), exclude=["**/__pycache__", "*.pyc", ".*"]),
            layers=[
                lambda_.LayerVersion.from_layer_version_arn(
                    self,
                    "PowertoolsLayer",
                    f"arn:{stack.partition}:lambda:{stack.region}:{POWERTOOLS_LAYER_ACCOUNT}:layer:"
                    f"AWSLambdaPowertoolsPythonV3-python314-arm64:{config.powertools_layer_version}",
                )
            ],
            memory_size=config.invoker_memory_mb,
            timeout=Duration.seconds(config.invoker_timeout_seconds),
            reserved_concurrent_executions=config.invoker_reserved_concurrency,
            tracing=lambda_.Tracing.ACTIVE,
            role=self.role,
            log_group=self.log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            environment=function_environment(config, access),
            environment_encryption=self.key,
            dead_letter_queue=self.dead_letter_queue,
            on_success=lambda_destinations.SqsDestination(self.async_results_queue),
            retry_attempts=2,
            max_event_age=Duration.hours(6),
            **network,
        )
        self._acknowledge_function_findings(config)

        self.invoke_policy = iam.ManagedPolicy(
            self,
            "InvokeFunctionPolicy",
            description="Invoke the Claude invoker function",
            statements=[
                iam.PolicyStatement(
                    sid="InvokeClaudeInvoker",
                    actions=["lambda:InvokeFunction"],
                    resources=[self.function.function_arn],
                )
            ],
        )
        for caller in config.invoker_callers:
            self._grant_caller(caller)

        self.alarm_topic = sns.Topic(
            self, "InvokerAlarmTopic", master_key=self.key, enforce_ssl=True, display_name="Claude invoker alarms"
        )
        self.key.grant_encrypt_decrypt(iam.ServicePrincipal("cloudwatch.amazonaws.com"))
        self._alarms(config)

    def _network(self, config: AppConfig) -> dict[str, Any]:
        """Isolated subnets and a bedrock-runtime interface endpoint: calls to Claude stay on the AWS network.

        The function itself talks only to Bedrock Runtime: Lambda delivers its logs, traces, dead letters and
        decrypts its environment outside the VPC, so no other endpoint and no NAT gateway is needed.
        """
        flow_logs = logs.LogGroup(
            self,
            "InvokerVpcFlowLogs",
            retention=retention_days(config.log_retention_days),
            encryption_key=self.key,
            removal_policy=removal_policy(config.log_removal_policy),
        )
        flow_log_policy = iam.ManagedPolicy(
            self,
            "InvokerVpcFlowLogPolicy",
            description="VPC flow logs of the Claude invoker's VPC: write to their own log group only",
            statements=[
                iam.PolicyStatement(
                    actions=["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    resources=[flow_logs.log_group_arn, f"{flow_logs.log_group_arn}:log-stream:*"],
                )
            ],
        )
        flow_log_role = iam.Role(
            self,
            "InvokerVpcFlowLogRole",
            assumed_by=iam.ServicePrincipal("vpc-flow-logs.amazonaws.com"),
            managed_policies=[flow_log_policy],
        )
        flow_logs_id = Stack.of(self).get_logical_id(flow_logs.node.default_child)  # type: ignore[arg-type]
        acknowledge(
            flow_log_policy,
            f"AwsSolutions-IAM5[Resource::<{flow_logs_id}.Arn>:log-stream:*]",
            "Log streams of the VPC's own flow-log group only: the service names one stream per network interface.",
        )
        self.vpc = ec2.Vpc(
            self,
            "InvokerVpc",
            max_azs=2,
            nat_gateways=0,
            subnet_configuration=[
                ec2.SubnetConfiguration(name="isolated", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=24)
            ],
            flow_logs={
                "AllTraffic": ec2.FlowLogOptions(
                    destination=ec2.FlowLogDestination.to_cloud_watch_logs(
                        flow_logs, flow_log_role.without_policy_updates()
                    ),
                    traffic_type=ec2.FlowLogTrafficType.ALL,
                )
            },
            restrict_default_security_group=False,
        )
        acknowledge_all_packs(
            self.vpc,
            "VPCDefaultSecurityGroupClosed",
            "Nothing in this VPC uses its default security group: the function and the endpoint have their own "
            "groups allowing only HTTPS between them. Stripping the default group's rules needs a custom-resource "
            "Lambda, which would add an unmanaged function to a VPC that exists to hold one.",
        )
        self.function_security_group = ec2.SecurityGroup(
            self,
            "InvokerSecurityGroup",
            vpc=self.vpc,
            description="Claude invoker: HTTPS to the bedrock-runtime endpoint only",
            allow_all_outbound=False,
        )
        endpoint_security_group = ec2.SecurityGroup(
            self,
            "BedrockRuntimeEndpointSecurityGroup",
            vpc=self.vpc,
            description="bedrock-runtime interface endpoint: HTTPS from the Claude invoker only",
            allow_all_outbound=False,
        )
        endpoint_security_group.add_ingress_rule(
            self.function_security_group, ec2.Port.tcp(443), "HTTPS from the Claude invoker"
        )
        self.function_security_group.add_egress_rule(
            endpoint_security_group, ec2.Port.tcp(443), "HTTPS to the bedrock-runtime endpoint"
        )
        self.vpc.add_interface_endpoint(
            "BedrockRuntimeEndpoint",
            service=ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME,
            private_dns_enabled=True,
            security_groups=[endpoint_security_group],
            open=False,
        )
        # Lambda creates the function's network interfaces with the execution role.
        self.function_policy.add_statements(
            iam.PolicyStatement(
                sid="ManageFunctionNetworkInterfaces",
                actions=[
                    "ec2:CreateNetworkInterface",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeSubnets",
                    "ec2:DeleteNetworkInterface",
                    "ec2:AssignPrivateIpAddresses",
                    "ec2:UnassignPrivateIpAddresses",
                ],
                resources=["*"],
            )
        )
        return {
            "vpc": self.vpc,
            "vpc_subnets": ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            "security_groups": [self.function_security_group],
        }

    def _grant_caller(self, caller: str) -> None:
        stack = Stack.of(self)
        if caller.endswith(".amazonaws.com"):
            # A service principal may invoke only on behalf of this account (confused-deputy protection).
            self.function.grant_invoke(
                iam.ServicePrincipal(caller).with_conditions({"StringEquals": {"aws:SourceAccount": stack.account}})
            )
        elif caller.isdigit():
            self.function.grant_invoke(iam.AccountPrincipal(caller))
        else:
            self.function.grant_invoke(iam.ArnPrincipal(caller))

    def _alarms(self, config: AppConfig) -> None:
        five_minutes = Duration.minutes(5)
        near_timeout_ms = config.invoker_timeout_seconds * 1000 * 0.8
        alarms = (
            (
                "ErrorsAlarm",
                "The Claude invoker failed (function errors, not error results)",
                self.function.metric_errors(period=five_minutes),
                1,
            ),
            (
                "ThrottlesAlarm",
                "Invocations of the Claude invoker were throttled (reserved concurrency reached)",
                self.function.metric_throttles(period=five_minutes),
                1,
            ),
            (
                "DurationNearTimeoutAlarm",
                "The Claude invoker's maximum duration is above 80% of its timeout",
                self.function.metric_duration(period=five_minutes, statistic="Maximum"),
                near_timeout_ms,
            ),
            (
                "DeadLetterQueueDepthAlarm",
                "Events of failed asynchronous invocations are waiting in the dead-letter queue",
                self.dead_letter_queue.metric_approximate_number_of_messages_visible(
                    period=five_minutes, statistic="Maximum"
                ),
                1,
            ),
        )
        action = cloudwatch_actions.SnsAction(self.alarm_topic)
        for alarm_id, description, metric, threshold in alarms:
            cloudwatch.Alarm(
                self,
                alarm_id,
                alarm_description=description,
                metric=metric,
                threshold=threshold,
                evaluation_periods=1,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ).add_alarm_action(action)

    def _acknowledge_function_findings(self, config: AppConfig) -> None:
        if not config.invoker_vpc:
            acknowledge_all_packs(
                self.function,
                "LambdaInsideVPC",
                "The function calls only AWS APIs (Amazon Bedrock Runtime, CloudWatch, X-Ray) over TLS with SigV4 "
                "and IAM-scoped credentials; it holds no network-reachable data and accepts no inbound connections. "
                "Set invoker_vpc=true to run it in isolated subnets with a bedrock-runtime interface endpoint.",
            )
        if config.invoker_reserved_concurrency is None:
            acknowledge_all_packs(
                self.function,
                "LambdaConcurrency",
                "Reserved concurrency is a deployment choice (invoker_reserved_concurrency): reserving it in a "
                "new account with a low concurrency quota fails the deployment; Bedrock's own quotas bound use.",
            )
        acknowledge(
            self.function_policy,
            "AwsSolutions-IAM5[Resource::*]",
            "X-Ray active tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) and, with invoker_vpc, the "
            "network-interface actions Lambda performs with the execution role have no resource-level "
            "permissions; AWS documents them with Resource '*'.",
        )
        log_group_id = Stack.of(self).get_logical_id(self.log_group.node.default_child)  # type: ignore[arg-type]
        acknowledge(
            self.function_policy,
            f"AwsSolutions-IAM5[Resource::<{log_group_id}.Arn>:log-stream:*]",
            "Log streams of the function's own log group only: Lambda names each stream at run time.",
        )
