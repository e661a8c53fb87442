"""`invoker_vpc=true`: isolated subnets, a bedrock-runtime interface endpoint, HTTPS only, no route to the internet."""

from __future__ import annotations

import json

import pytest
from aws_cdk.assertions import Template

from tests.support.logical_ids import INVOKER_FUNCTION, INVOKER_KEY, VPC_FLOW_LOG_GROUP
from tests.support.synth import Synth
from tests.support.templates import managed_policy_statements, resource


@pytest.fixture(scope="module")
def in_vpc(every_option_synth: Synth) -> Template:
    assert every_option_synth.config.invoker.vpc is True
    return every_option_synth.template("ClaudeInvoker-")


def test_no_vpc_by_default(default_synth: Synth) -> None:
    invoker = default_synth.template("ClaudeInvoker-")
    assert invoker.find_resources("AWS::EC2::VPC") == {}
    assert "VpcConfig" not in resource(invoker, INVOKER_FUNCTION)["Properties"]
    assert "ec2:" not in json.dumps(managed_policy_statements(invoker, "InvokerFunctionPolicy"))


def test_vpc_mode_keeps_calls_to_claude_on_the_aws_network(every_option_synth: Synth, in_vpc: Template) -> None:
    assert [v for v in every_option_synth.violations if v["path"].startswith("ClaudeInvoker-")] == []
    in_vpc.resource_count_is("AWS::EC2::NatGateway", 0)
    in_vpc.resource_count_is("AWS::EC2::InternetGateway", 0)
    in_vpc.has_resource_properties(
        "AWS::EC2::VPCEndpoint",
        {
            "ServiceName": "com.amazonaws.eu-west-1.bedrock-runtime",
            "VpcEndpointType": "Interface",
            "PrivateDnsEnabled": True,
        },
    )
    function = resource(in_vpc, INVOKER_FUNCTION)["Properties"]
    assert function["VpcConfig"]["SecurityGroupIds"] and len(function["VpcConfig"]["SubnetIds"]) == 2


def test_the_function_and_the_endpoint_talk_https_to_each_other_only(in_vpc: Template) -> None:
    groups = in_vpc.find_resources("AWS::EC2::SecurityGroup")
    (function_group,) = [name for name in groups if "InvokerSecurityGroup" in name]
    (endpoint_group,) = [name for name in groups if "BedrockRuntimeEndpointSecurityGroup" in name]
    # Only HTTPS to the endpoint's group: no 0.0.0.0/0 egress.
    assert "0.0.0.0/0" not in json.dumps(groups[function_group])
    (egress,) = in_vpc.find_resources("AWS::EC2::SecurityGroupEgress").values()
    assert egress["Properties"] == {
        "GroupId": {"Fn::GetAtt": [function_group, "GroupId"]},
        "IpProtocol": "tcp",
        "FromPort": 443,
        "ToPort": 443,
        "DestinationSecurityGroupId": {"Fn::GetAtt": [endpoint_group, "GroupId"]},
        "Description": "HTTPS to the bedrock-runtime endpoint",
    }
    (ingress,) = in_vpc.find_resources("AWS::EC2::SecurityGroupIngress").values()
    assert ingress["Properties"] == {
        "GroupId": {"Fn::GetAtt": [endpoint_group, "GroupId"]},
        "IpProtocol": "tcp",
        "FromPort": 443,
        "ToPort": 443,
        "SourceSecurityGroupId": {"Fn::GetAtt": [function_group, "GroupId"]},
        "Description": "HTTPS from the Claude invoker",
    }


def test_flow_logs_of_all_traffic_go_to_an_encrypted_retained_group(in_vpc: Template) -> None:
    in_vpc.has_resource_properties(
        "AWS::EC2::FlowLog",
        {"TrafficType": "ALL", "LogDestinationType": "cloud-watch-logs", "LogGroupName": {"Ref": VPC_FLOW_LOG_GROUP}},
    )
    group = resource(in_vpc, VPC_FLOW_LOG_GROUP)
    assert group["Properties"] == {
        "RetentionInDays": 90,
        "KmsKeyId": {"Fn::GetAtt": [INVOKER_KEY, "Arn"]},
        "Tags": [{"Key": "project", "Value": "claude-on-bedrock"}],
    }
    assert group["DeletionPolicy"] == "Retain"


def test_the_function_may_manage_its_network_interfaces(in_vpc: Template) -> None:
    (network,) = [
        s
        for s in managed_policy_statements(in_vpc, "InvokerFunctionPolicy")
        if s.get("Sid") == "ManageFunctionNetworkInterfaces"
    ]
    assert sorted(network["Action"]) == [
        "ec2:AssignPrivateIpAddresses",
        "ec2:CreateNetworkInterface",
        "ec2:DeleteNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSubnets",
        "ec2:UnassignPrivateIpAddresses",
    ]
    assert network["Resource"] == "*"
