"""The invocation access stack: `InvokePolicy` holds the Region plan's statements, the role trusts whom it should.

The statements themselves are checked one by one in tests/core/test_permissions.py and test_plan.py; here, that
the stack writes exactly those into the policy, and what the role and outputs say.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from core.invocation_access.policy_packing import MANAGED_POLICY_LIMIT, policy_size
from stacks.deployment import access_props
from stacks.invocation_access.stack import InvocationAccessStack
from tests.support import logical_ids as ids
from tests.support.cfn_values import CfnValues
from tests.support.project import SAMPLE_ACCOUNT, config_for, current_models
from tests.support.synth import Synth, region_plan, synth_one_stack
from tests.support.templates import acknowledgements, resource

REGION = "us-east-1"
CALLER_ROLE = "arn:aws:iam::444455556666:role/app"


@pytest.fixture(scope="module")
def configured_synth() -> Synth:
    """Principals with an external ID, and Marketplace subscription on (the stack alone, with a concrete account)."""
    config = config_for(
        account=SAMPLE_ACCOUNT,
        access_role_principals=["444455556666", CALLER_ROLE, "lambda.amazonaws.com"],
        access_role_external_id="claude-callers",
        access_allow_marketplace_subscription=True,
    )
    return synth_one_stack(
        config,
        lambda app: InvocationAccessStack(
            app,
            "Access",
            props=access_props(config, region_plan(config, REGION, SAMPLE_ACCOUNT)),
            env=cdk.Environment(account=SAMPLE_ACCOUNT, region=REGION),
        ),
    )


@pytest.fixture(scope="module")
def configured(configured_synth: Synth) -> Template:
    return configured_synth.template("Access")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _comparable(statements: Any) -> list[dict[str, Any]]:
    """CloudFormation output collapses one-element lists and CDK sorts resources: compare in one shape."""
    return [
        {**s, "Action": sorted(_as_list(s["Action"])), "Resource": sorted(_as_list(s["Resource"]))} for s in statements
    ]


def test_the_policy_holds_exactly_the_plans_access_statements(configured_synth: Synth, configured: Template) -> None:
    (policy,) = configured.find_resources("AWS::IAM::ManagedPolicy").values()
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    plan = region_plan(configured_synth.config, REGION, SAMPLE_ACCOUNT)
    assert _comparable(statements) == _comparable(plan.access_statements)
    assert [s["Sid"] for s in statements] == [
        "GlobalProfiles",
        "GlobalSourceRegionModels",
        "GlobalRoutedModels",
        "MarketplaceViewSubscriptions",
        "MarketplaceSubscribeToAllowedModels",
    ]


def test_marketplace_resource_star_is_acknowledged_only_when_subscription_is_on(
    configured_synth: Synth, configured: Template, default_synth: Synth
) -> None:
    assert configured_synth.violations == []
    template = configured
    (policy_id,) = template.find_resources("AWS::IAM::ManagedPolicy")
    (acknowledged,) = acknowledgements(template, policy_id)
    assert acknowledged["id"] == "AwsSolutions-IAM5[Resource::*]"
    assert (
        "aws-marketplace:Subscribe and ViewSubscriptions have no resource-level permissions" in acknowledged["reason"]
    )
    default = default_synth.template("ClaudeInvocationAccess-")
    assert acknowledgements(default, ids.ACCESS_POLICY) == []
    assert "aws-marketplace" not in str(resource(default, ids.ACCESS_POLICY))


def test_role_trusts_configured_principals_with_external_id(configured: Template) -> None:
    template = configured
    (role,) = template.find_resources("AWS::IAM::Role").values()
    statements = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    (with_external_id,) = [s for s in statements if "Condition" in s]
    assert sorted(with_external_id["Principal"]["AWS"]) == [CALLER_ROLE, "arn:aws:iam::444455556666:root"]
    assert with_external_id["Condition"] == {"StringEquals": {"sts:ExternalId": "claude-callers"}}
    # A service principal cannot send an external ID: it is trusted without one.
    assert [s["Principal"] for s in statements if "Condition" not in s] == [{"Service": "lambda.amazonaws.com"}]
    (policy_id,) = template.find_resources("AWS::IAM::ManagedPolicy")
    assert role["Properties"]["ManagedPolicyArns"] == [{"Ref": policy_id}]
    assert role["Properties"]["MaxSessionDuration"] == 3600


def test_without_principals_the_role_trusts_its_own_account(default_synth: Synth) -> None:
    role = resource(default_synth.template("ClaudeInvocationAccess-"), ids.ACCESS_ROLE)["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"AWS": {"Fn::Join": ["", ["arn:aws:iam::", {"Ref": "AWS::AccountId"}, ":root"]]}},
            "Action": "sts:AssumeRole",
        }
    ]
    assert role["ManagedPolicyArns"] == [{"Ref": ids.ACCESS_POLICY}]


def test_outputs_give_the_model_ids_a_caller_sends(default_synth: Synth, every_option_synth: Synth) -> None:
    default = default_synth.template("ClaudeInvocationAccess-").to_json()["Outputs"]
    assert {name: output["Value"] for name, output in default.items()} == {
        "InvokePolicyArn": {"Ref": ids.ACCESS_POLICY},
        "InvokerRoleArn": {"Fn::GetAtt": [ids.ACCESS_ROLE, "Arn"]},
        "ModelIds": "global.anthropic.claude-haiku-5-5,global.anthropic.claude-opus-4-8",
        "EndpointScope": "global",
    }
    eu = every_option_synth.template("ClaudeInvocationAccess-").to_json()["Outputs"]
    assert (eu["ModelIds"]["Value"], eu["EndpointScope"]["Value"]) == ("eu.anthropic.claude-sonnet-4-6", "eu")


def test_the_policy_description_names_models_scope_and_region(every_option_synth: Synth) -> None:
    template = every_option_synth.template("ClaudeInvocationAccess-")
    assert resource(template, ids.ACCESS_POLICY)["Properties"]["Description"] == (
        "Invoke Claude Sonnet 4.6 on Amazon Bedrock through the eu inference profile from eu-west-1 only"
    )


@pytest.fixture(scope="module")
def every_us_model() -> Template:
    """Every current us model from ca-central-1, six more of the same routing, with Marketplace subscription: more
    than one policy holds."""
    routes = {"us": {"ca-central-1": ["ca-central-1", "us-east-1", "us-east-2", "us-west-2"]}}
    extra = [
        {"alias": f"extra-{n}", "model_id": f"anthropic.claude-extra-{n}-v1:0", "profiles": routes} for n in range(6)
    ]
    models = current_models("us", "ca-central-1") + [e["alias"] for e in extra]
    config = config_for(
        endpoint_scope="us",
        regions=["ca-central-1"],
        extra_models=extra,
        models=models,
        invoker_default_model=models[0],
        access_allow_marketplace_subscription=True,
    )
    built = synth_one_stack(
        config,
        lambda app: InvocationAccessStack(
            app,
            "Access",
            props=access_props(config, region_plan(config, "ca-central-1", cdk.Aws.ACCOUNT_ID)),
            env=cdk.Environment(region="ca-central-1"),
        ),
    )
    assert built.violations == []
    return built.template("Access")


def test_statements_that_outgrow_one_policy_are_split_and_all_parts_attached(every_us_model: Template) -> None:
    policies = every_us_model.find_resources("AWS::IAM::ManagedPolicy")
    first, second = sorted(policies, key=len)
    assert first.startswith("ClaudeAccessInvokePolicy") and second.startswith("ClaudeAccessInvokePolicy2")
    assert first == ids.ACCESS_POLICY  # the first part keeps the logical ID callers' attachments name
    (role,) = every_us_model.find_resources("AWS::IAM::Role").values()
    assert role["Properties"]["ManagedPolicyArns"] == [{"Ref": first}, {"Ref": second}]
    for logical_id in (first, second):
        document = CfnValues(every_us_model.to_json(), region="ca-central-1").resolve(
            policies[logical_id]["Properties"]["PolicyDocument"]
        )
        assert policy_size(document["Statement"]) <= MANAGED_POLICY_LIMIT
    outputs = every_us_model.to_json()["Outputs"]
    assert outputs["InvokePolicyArns"]["Value"] == {"Fn::Join": ["", [{"Ref": first}, ",", {"Ref": second}]]}
    assert policies[second]["Properties"]["Description"].endswith("(part 2 of 2)")
