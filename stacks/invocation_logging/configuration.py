"""The Region's Bedrock model invocation logging configuration, and the role Bedrock delivers logs with.

CloudFormation has no resource type for the configuration, so `InvocationLoggingConfiguration` applies it through
a purpose-built provider (`lambda/logging_configuration/index.py`, inlined without its docstrings and comments: no
asset, boto3 from the runtime) that puts only the configuration its environment holds, for this stack's resource,
when CloudFormation is operating on that resource. The same provider serves the data retention resources
(`stacks/data_retention/`): one hardened provider per stack for every account-level Bedrock setting.
The configuration is a per-Region singleton of the account: by default deleting the stack keeps it, and with it
the delivery role and its policy it names.

Logical IDs: the provider function keeps the ID of the aws-cdk-lib AwsCustomResource provider it replaces, so the
resource's ServiceToken (that function's ARN) does not change: CloudFormation refuses to change a custom resource's
ServiceToken (createOnly in its resource schema; "Modifying service token is not allowed"), while a function's code,
runtime, handler and role are updated in place (only FunctionName, PackageType and TenancyConfig are createOnly).
The configuration resource keeps its ID too, receives an Update, and the new code puts the configuration: the
account is never without it during the upgrade (docs/platform/logging.md, "Upgrading from the AwsCustomResource").
"""

from __future__ import annotations

import json
from pathlib import Path

from aws_cdk import Aws, CustomResource, Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from core.invocation_logging.configuration import (
    DELETE_LOGGING_CONFIGURATION,
    PUT_LOGGING_CONFIGURATION,
    logging_config,
)
from core.invocation_logging.guard import PROJECT_ROLE_PATH
from core.rule_packs import HIPAA, NIST
from stacks.invocation_logging.storage import BEDROCK, InvocationLogStorage, bedrock_conditions
from stacks.shared.inline_code import inline_source
from stacks.shared.lifetimes import retention_period
from stacks.shared.log_groups import allow_writing_log_streams
from stacks.shared.nag import acknowledge, acknowledge_in_regulatory_packs, finding_resource

PROVIDER_CODE = Path(__file__).resolve().parents[2] / "lambda" / "logging_configuration" / "index.py"
PROVIDER_RUNTIME = lambda_.Runtime.PYTHON_3_14  # as the invoker: the newest the pinned aws-cdk-lib offers
# Logical IDs of the aws-cdk-lib AwsCustomResource provider function and of the resource it served, kept so that
# deployed stacks upgrade in place (see the module docstring).
PROVIDER_FUNCTION_ID = "AWS679f53fac002430cb0da5b7982bd22872D164C4C"
CONFIGURATION_RESOURCE_ID = "ClaudeInvocationLoggingInvocationLoggingConfiguration1ACAB681"
CONFIGURATION_TYPE = "Custom::BedrockModelInvocationLogging"


class LoggingConfiguration:
    """The delivery role, and the custom resource (with its provider's role and logs) that applies the configuration."""

    def __init__(
        self,
        scope: Construct,
        *,
        region: str,
        storage: InvocationLogStorage,
        data: tuple[str, ...],
        keep_on_delete: bool,
        retention_days: int,
        removal: RemovalPolicy,
        provider_log_group_name: str,
        wait_for: list[Construct],
    ) -> None:
        stack = Stack.of(scope)
        # Every permission in one customer-managed policy a reviewer can read; no inline policy, no AWS managed one.
        self.delivery_policy = iam.ManagedPolicy(
            scope,
            "LoggingDeliveryPolicy",
            description=f"Amazon Bedrock: write model invocation logs of {region} to the invocation log group only",
        )
        allow_writing_log_streams(
            self.delivery_policy,
            storage.log_group,
            sid="WriteInvocationLogStreams",
            whose="the invocation log group",
            named_by="Amazon Bedrock names each stream when it delivers logs, so the stream part of the ARN cannot "
            "be known in advance",
        )
        self.delivery_role = iam.Role(
            scope,
            "LoggingDeliveryRole",
            description=f"Assumed by Amazon Bedrock to deliver model invocation logs of {region} to CloudWatch Logs",
            assumed_by=iam.ServicePrincipal(BEDROCK).with_conditions(bedrock_conditions(scope, region)),
            managed_policies=[self.delivery_policy],
        )
        if keep_on_delete:
            # A kept configuration names this role: it must outlive the stack with it.
            for kept in (self.delivery_role, self.delivery_policy):
                kept.apply_removal_policy(RemovalPolicy.RETAIN)

        self.logging_config = logging_config(
            bucket_name=storage.bucket.bucket_name,
            log_group_name=storage.log_group.log_group_name,
            role_arn=self.delivery_role.role_arn,
            log_data=data,
        )
        self.provider_log_group = logs.LogGroup(
            scope,
            "ConfigurationProviderLogGroup",
            log_group_name=provider_log_group_name,
            retention=retention_period(retention_days),
            encryption_key=storage.key,
            removal_policy=removal,
        )
        self.provider_role = self._provider_role(scope, keep_on_delete)
        configuration_json = stack.to_json_string(self.logging_config)
        self.provider = lambda_.Function(
            scope,
            "ConfigurationProvider",
            description="Applies this stack's Bedrock account settings (invocation logging, data retention), and "
            "nothing else",
            runtime=PROVIDER_RUNTIME,
            handler="index.handler",
            code=lambda_.Code.from_inline(inline_source(PROVIDER_CODE)),
            role=self.provider_role,
            timeout=Duration.minutes(2),
            log_group=self.provider_log_group,
            environment={
                "STACK_ID": stack.stack_id,
                "LOGICAL_RESOURCE_ID": CONFIGURATION_RESOURCE_ID,
                "LOGGING_CONFIGURATION": configuration_json,
                "KEEP_CONFIGURATION_ON_DELETE": json.dumps(keep_on_delete),
            },
        )
        self.provider.node.default_child.override_logical_id(PROVIDER_FUNCTION_ID)  # type: ignore[union-attr]
        self.provider.node.add_dependency(self.provider_policy)
        _acknowledge_provider_function(self.provider)

        self.resource = CustomResource(
            scope,
            "InvocationLoggingConfiguration",
            service_token=self.provider.function_arn,
            resource_type=CONFIGURATION_TYPE,
            # The configuration travels in the properties too, so any change of it is an Update CloudFormation
            # sends; the provider applies it only when it equals its own environment's (or restores a rollback's).
            properties={
                "Configuration": configuration_json,
                "KeepConfigurationOnDelete": json.dumps(keep_on_delete),
            },
            # Kept: CloudFormation never even asks the provider to delete it.
            removal_policy=RemovalPolicy.RETAIN if keep_on_delete else RemovalPolicy.DESTROY,
        )
        self.resource.node.default_child.override_logical_id(CONFIGURATION_RESOURCE_ID)  # type: ignore[union-attr]
        # Bedrock checks that it can write to every destination when the configuration is applied: the bucket
        # policy (and, with replication, the replication policy) must be in place first.
        for dependency in wait_for:
            self.resource.node.add_dependency(dependency)

    def _provider_role(self, scope: Construct, keep_on_delete: bool) -> iam.Role:
        stack = Stack.of(scope)
        # The deployed stack's name (AWS::StackName): a StackSet names each member's stack itself.
        own_stack = f"arn:{stack.partition}:cloudformation:{stack.region}:{stack.account}:stack/{Aws.STACK_NAME}/*"
        actions = [f"bedrock:{PUT_LOGGING_CONFIGURATION}"]
        if not keep_on_delete:
            actions.append(f"bedrock:{DELETE_LOGGING_CONFIGURATION}")
        # Every permission of the provider function in one policy a reviewer reads; no AWS managed policy.
        self.provider_policy = iam.ManagedPolicy(
            scope,
            "ConfigurationProviderPolicy",
            description="Apply this Region's Bedrock invocation logging configuration and data retention settings, "
            "and nothing else",
            statements=[
                iam.PolicyStatement(sid="ConfigureModelInvocationLogging", actions=actions, resources=["*"]),
                iam.PolicyStatement(
                    sid="PassDeliveryRoleToBedrockOnly",
                    actions=["iam:PassRole"],
                    resources=[self.delivery_role.role_arn],
                    conditions={"StringEquals": {"iam:PassedToService": BEDROCK}},
                ),
                iam.PolicyStatement(
                    sid="ReadOwnStackStatus",
                    actions=["cloudformation:DescribeStacks", "cloudformation:DescribeStackResource"],
                    resources=[own_stack],
                ),
            ],
        )
        acknowledge(
            self.provider_policy,
            "AwsSolutions-IAM5[Resource::*]",
            "bedrock:PutModelInvocationLoggingConfiguration and DeleteModelInvocationLoggingConfiguration have no "
            "resource types in the Service Authorization Reference; AWS documents them with Resource '*'. The data "
            "retention mode and storage are account-level settings of the Region with no ARN to name either; the "
            "mode is limited by bedrock:DataRetentionMode instead.",
        )
        acknowledge(
            self.provider_policy,
            f"AwsSolutions-IAM5[Resource::{finding_resource(scope, own_stack)}]",
            "This stack only: a stack's ARN ends with an ID CloudFormation assigns at creation, which the stack's "
            "own template cannot name without referring to itself.",
        )
        allow_writing_log_streams(
            self.provider_policy,
            self.provider_log_group,
            sid="WriteOwnLogs",
            whose="the provider function's own log group",
            named_by="Lambda names each stream at run time",
        )
        # The project's IAM path: an SCP exempts the roles that may change the logging configuration by it.
        return iam.Role(
            scope,
            "ConfigurationProviderRole",
            description="Applies this stack's Bedrock account settings (invocation logging, data retention), and "
            "nothing else",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            path=PROJECT_ROLE_PATH,
            managed_policies=[self.provider_policy],
        )


def _acknowledge_provider_function(function: lambda_.Function) -> None:
    acknowledge_in_regulatory_packs(
        function,
        "LambdaInsideVPC",
        "The function runs only during deployment and calls only the Amazon Bedrock and CloudFormation control-plane "
        "APIs over TLS with SigV4 and IAM-scoped credentials; it holds no data and accepts no inbound connections.",
    )
    for pack in (HIPAA, NIST):
        acknowledge(
            function,
            f"{pack}-LambdaDLQ",
            "CloudFormation invokes this custom-resource provider synchronously and fails the deployment when "
            "it fails; there is no asynchronous event that a dead-letter queue could keep.",
        )
        acknowledge(
            function,
            f"{pack}-LambdaConcurrency",
            "The function runs once per deployment of this stack; reserving concurrency for it would take "
            "capacity from the account's other functions without limiting anything.",
        )
