"""The invoker's own VPC (`invoker_vpc=true`): isolated subnets and a bedrock-runtime interface endpoint.

Calls to Claude stay on the AWS network. The function itself talks only to Bedrock Runtime: Lambda delivers its
logs, traces and dead letters and decrypts its environment outside the VPC, so no other endpoint and no NAT gateway
is needed. Created in the invoker construct's scope.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from stacks.shared.lifetimes import retention_period
from stacks.shared.log_groups import allow_writing_log_streams
from stacks.shared.nag import acknowledge_in_regulatory_packs


class InvokerNetwork:
    def __init__(self, scope: Construct, *, key: kms.IKey, retention_days: int, removal: RemovalPolicy) -> None:
        flow_logs = logs.LogGroup(
            scope,
            "InvokerVpcFlowLogs",
            retention=retention_period(retention_days),
            encryption_key=key,
            removal_policy=removal,
        )
        flow_log_policy = iam.ManagedPolicy(
            scope,
            "InvokerVpcFlowLogPolicy",
            description="VPC flow logs of the Claude invoker's VPC: write to their own log group only",
        )
        allow_writing_log_streams(
            flow_log_policy,
            flow_logs,
            whose="the VPC's own flow-log group",
            named_by="the service names one stream per network interface",
            actions=("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"),
        )
        flow_log_role = iam.Role(
            scope,
            "InvokerVpcFlowLogRole",
            assumed_by=iam.ServicePrincipal("vpc-flow-logs.amazonaws.com"),
            managed_policies=[flow_log_policy],
        )
        self.vpc = ec2.Vpc(
            scope,
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
        acknowledge_in_regulatory_packs(
            self.vpc,
            "VPCDefaultSecurityGroupClosed",
            "Nothing in this VPC uses its default security group: the function and the endpoint have their own "
            "groups allowing only HTTPS between them. Stripping the default group's rules needs a custom-resource "
            "Lambda, which would add an unmanaged function to a VPC that exists to hold one.",
        )
        self.function_security_group = ec2.SecurityGroup(
            scope,
            "InvokerSecurityGroup",
            vpc=self.vpc,
            description="Claude invoker: HTTPS to the bedrock-runtime endpoint only",
            allow_all_outbound=False,
        )
        endpoint_security_group = ec2.SecurityGroup(
            scope,
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

    @staticmethod
    def execution_role_statement() -> iam.PolicyStatement:
        """Lambda creates and removes the function's network interfaces with the execution role."""
        return iam.PolicyStatement(
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

    def function_props(self) -> dict[str, Any]:
        """The `lambda_.Function` keyword arguments that put the function in the isolated subnets."""
        return {
            "vpc": self.vpc,
            "vpc_subnets": ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            "security_groups": [self.function_security_group],
        }
