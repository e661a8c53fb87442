"""The Region's Bedrock model invocation logging configuration, and the role Bedrock delivers logs with.

CloudFormation has no resource type for the configuration, so `InvocationLoggingConfiguration` applies it with the
Bedrock API (`PutModelInvocationLoggingConfiguration`) through a custom resource. The configuration is a
per-Region singleton of the account: by default deleting the stack keeps it.
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import custom_resources as cr
from constructs import Construct, IConstruct

from core.invocation_logs import DELETE_LOGGING_CONFIGURATION, PUT_LOGGING_CONFIGURATION, logging_config
from core.rule_packs import HIPAA, NIST
from stacks.invocation_logging.storage import BEDROCK, InvocationLogStorage, bedrock_conditions
from stacks.lifetimes import retention_period
from stacks.log_groups import allow_writing_log_streams
from stacks.nag import acknowledge, acknowledge_in_regulatory_packs

# The configuration's physical ID never changes, so an update of the parameters is an update of the same
# resource and never a replacement (which would delete the old one).
PHYSICAL_RESOURCE_ID = "bedrock-model-invocation-logging"
# The singleton provider function AwsCustomResource adds to the stack (its id is fixed by aws-cdk-lib).
PROVIDER_FUNCTION_ID = "AWS679f53fac002430cb0da5b7982bd2287"


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
        self.resource = self._custom_resource(
            scope, storage, data, keep_on_delete, retention_days, removal, provider_log_group_name
        )
        # Bedrock checks that it can write to every destination when the configuration is applied: the bucket
        # policy (and, with replication, the replication policy) must be in place first.
        for dependency in wait_for:
            self.resource.node.add_dependency(dependency)

    def _custom_resource(
        self,
        scope: Construct,
        storage: InvocationLogStorage,
        data: tuple[str, ...],
        keep_on_delete: bool,
        retention_days: int,
        removal: RemovalPolicy,
        provider_log_group_name: str,
    ) -> cr.AwsCustomResource:
        parameters = {
            "loggingConfig": logging_config(
                bucket_name=storage.bucket.bucket_name,
                log_group_name=storage.log_group.log_group_name,
                role_arn=self.delivery_role.role_arn,
                log_data=data,
            )
        }
        put = cr.AwsSdkCall(
            service="bedrock",
            action=PUT_LOGGING_CONFIGURATION,
            parameters=parameters,
            physical_resource_id=cr.PhysicalResourceId.of(PHYSICAL_RESOURCE_ID),
        )
        delete = None
        actions = [f"bedrock:{PUT_LOGGING_CONFIGURATION}"]
        if not keep_on_delete:
            delete = cr.AwsSdkCall(service="bedrock", action=DELETE_LOGGING_CONFIGURATION)
            actions.append(f"bedrock:{DELETE_LOGGING_CONFIGURATION}")

        provider_log_group = logs.LogGroup(
            scope,
            "ConfigurationProviderLogGroup",
            log_group_name=provider_log_group_name,
            retention=retention_period(retention_days),
            encryption_key=storage.key,
            removal_policy=removal,
        )
        # Every permission of the provider function in one role a reviewer reads; no AWS managed policy.
        provider_policy = iam.ManagedPolicy(
            scope,
            "ConfigurationProviderPolicy",
            description="Apply the Bedrock model invocation logging configuration of this Region, and nothing else",
            statements=[
                iam.PolicyStatement(sid="ConfigureModelInvocationLogging", actions=actions, resources=["*"]),
                iam.PolicyStatement(
                    sid="PassDeliveryRoleToBedrockOnly",
                    actions=["iam:PassRole"],
                    resources=[self.delivery_role.role_arn],
                    conditions={"StringEquals": {"iam:PassedToService": BEDROCK}},
                ),
            ],
        )
        acknowledge(
            provider_policy,
            "AwsSolutions-IAM5[Resource::*]",
            "bedrock:PutModelInvocationLoggingConfiguration and DeleteModelInvocationLoggingConfiguration have no "
            "resource types in the Service Authorization Reference; AWS documents them with Resource '*'.",
        )
        allow_writing_log_streams(
            provider_policy,
            provider_log_group,
            sid="WriteOwnLogs",
            whose="the provider function's own log group",
            named_by="Lambda names each stream at run time",
        )
        provider_role = iam.Role(
            scope,
            "ConfigurationProviderRole",
            description="Runs the Bedrock API calls that apply the model invocation logging configuration",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            managed_policies=[provider_policy],
        )
        configuration = cr.AwsCustomResource(
            scope,
            "InvocationLoggingConfiguration",
            resource_type="Custom::BedrockModelInvocationLogging",
            on_create=put,
            on_update=put,
            on_delete=delete,
            role=provider_role,
            log_group=provider_log_group,
            # Bedrock and its SDK client are in the SDK bundled with the Lambda runtime: no download at deploy time.
            install_latest_aws_sdk=False,
            timeout=Duration.minutes(2),
        )
        _acknowledge_provider_function(Stack.of(scope).node.find_child(PROVIDER_FUNCTION_ID))
        return configuration


def _acknowledge_provider_function(function: IConstruct) -> None:
    acknowledge_in_regulatory_packs(
        function,
        "LambdaInsideVPC",
        "The function runs only during deployment and calls only the Amazon Bedrock control-plane API over TLS "
        "with SigV4 and IAM-scoped credentials; it holds no data and accepts no inbound connections.",
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
