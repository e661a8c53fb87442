"""The function URL (`invoker_function_url`, in the every-option variant): AuthType AWS_IAM on the URL alias, and
who may call it, evaluated by an IAM evaluator this project did not write.

AWS's rule, written out here (AWS Lambda developer guide, "Control access to Lambda function URLs",
https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html): since October 2025 a caller of a function URL needs
both `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction`; a caller in the function's account needs them in its
identity policy or the function's resource policy, a caller in another account in both. The resource policy is
read from the template's AWS::Lambda::Permission resources, translated as AWS's page shows AddPermission's
statements: `FunctionUrlAuthType` as a `StringEquals` on `lambda:FunctionUrlAuthType`, `InvokedViaFunctionUrl` as a
`Bool` on `lambda:InvokedViaFunctionUrl`.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Match

from tests.support import logical_ids as ids
from tests.support.cfn_values import SAMPLE_ACCOUNT, CfnValues
from tests.support.iam_evaluator import Principal, allowed
from tests.support.project import URL_CALLER_ACCOUNT
from tests.support.synth import Synth
from tests.support.templates import managed_policy_statements

INVOKE = "lambda:InvokeFunction"
INVOKE_URL = "lambda:InvokeFunctionUrl"
# What Lambda puts in the request context of a call through the function URL, and of a direct invocation.
THROUGH_URL = {"lambda:FunctionUrlAuthType": "AWS_IAM", "lambda:InvokedViaFunctionUrl": "true"}
DIRECT = {"lambda:InvokedViaFunctionUrl": "false"}
SAME_ACCOUNT_ROLE = f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/service-a"
OTHER_ACCOUNT_ROLE = f"arn:aws:iam::{URL_CALLER_ACCOUNT}:role/service-b"


@pytest.fixture(scope="module")
def values(every_option_synth: Synth) -> CfnValues:
    return every_option_synth.values("ClaudeInvoker-")


@pytest.fixture(scope="module")
def url_alias(values: CfnValues) -> str:
    arn: str = values.resolve({"Ref": ids.URL_ALIAS})
    assert arn == f"{values.arn(ids.INVOKER_FUNCTION)}:url"
    return arn


def _invoke_function_policy(every_option_synth: Synth, values: CfnValues) -> dict[str, Any]:
    statements = managed_policy_statements(every_option_synth.template("ClaudeInvoker-"), "InvokeFunctionPolicy")
    return {"Version": "2012-10-17", "Statement": values.resolve(statements)}


def _resource_policy(values: CfnValues, alias_id: str) -> dict[str, Any]:
    """The alias's resource policy, from its AWS::Lambda::Permission resources (see the module docstring)."""
    statements = []
    for resource in values.template["Resources"].values():
        properties = resource["Properties"]
        if resource["Type"] != "AWS::Lambda::Permission" or properties["FunctionName"] != {"Ref": alias_id}:
            continue
        principal = properties["Principal"]
        principal = f"arn:aws:iam::{principal}:root" if principal.isdigit() else principal
        statement: dict[str, Any] = {
            "Effect": "Allow",
            "Principal": {"AWS": principal},
            "Action": properties["Action"],
            "Resource": values.resolve({"Ref": alias_id}),
        }
        if "FunctionUrlAuthType" in properties:
            statement["Condition"] = {"StringEquals": {"lambda:FunctionUrlAuthType": properties["FunctionUrlAuthType"]}}
        if properties.get("InvokedViaFunctionUrl"):
            statement["Condition"] = {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}
        statements.append(statement)
    return {"Version": "2012-10-17", "Statement": statements}


def through_the_url(principal: Principal, alias: str, resource_policy: dict[str, Any] | None = None) -> bool:
    """AWS's rule: both actions allowed for a request through the function URL."""
    owner = SAMPLE_ACCOUNT if resource_policy is not None else None
    return all(
        allowed(principal, action, alias, THROUGH_URL, resource_policy=resource_policy, resource_owner=owner)
        for action in (INVOKE_URL, INVOKE)
    )


def test_the_url_is_on_the_url_alias_with_aws_iam_auth_and_no_cors(every_option_synth: Synth) -> None:
    template = every_option_synth.template("ClaudeInvoker-")
    template.resource_count_is("AWS::Lambda::Url", 1)
    template.has_resource(
        "AWS::Lambda::Url",
        {
            "Properties": {
                "AuthType": "AWS_IAM",
                "TargetFunctionArn": {"Fn::GetAtt": [ids.INVOKER_FUNCTION, "Arn"]},
                "Qualifier": "url",
                "Cors": Match.absent(),
                "InvokeMode": Match.absent(),  # BUFFERED, Lambda's default: the Python runtime cannot stream
            },
            "DependsOn": [ids.URL_ALIAS],
        },
    )
    template.has_resource_properties(
        "AWS::Lambda::Alias",
        {"Name": "url", "FunctionVersion": "$LATEST", "FunctionName": {"Ref": ids.INVOKER_FUNCTION}},
    )
    outputs = template.to_json()["Outputs"]
    assert outputs["FunctionUrl"]["Value"] == {"Fn::GetAtt": [ids.FUNCTION_URL, "FunctionUrl"]}
    # The function knows which qualifier is the URL's.
    (function,) = [r for r in template.to_json()["Resources"].values() if r["Type"] == "AWS::Lambda::Function"]
    assert function["Properties"]["Environment"]["Variables"]["INVOKER_URL_ALIAS"] == "url"


def test_without_the_option_there_is_no_url(default_synth: Synth) -> None:
    template = default_synth.template("ClaudeInvoker-")
    template.resource_count_is("AWS::Lambda::Url", 0)
    template.resource_count_is("AWS::Lambda::Alias", 1)  # the async alias only
    assert "FunctionUrl" not in template.to_json()["Outputs"]


def test_a_caller_with_only_one_of_the_two_actions_is_denied_the_url(
    every_option_synth: Synth, values: CfnValues, url_alias: str
) -> None:
    granted = _invoke_function_policy(every_option_synth, values)
    assert through_the_url(Principal(SAME_ACCOUNT_ROLE, [granted]), url_alias)  # the policy the project grants
    for only in (INVOKE_URL, INVOKE):
        one = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": only, "Resource": url_alias}]}
        assert not through_the_url(Principal(SAME_ACCOUNT_ROLE, [one]), url_alias), only


def test_the_granted_policy_never_invokes_the_url_alias_directly(
    every_option_synth: Synth, values: CfnValues, url_alias: str
) -> None:
    """Only the URL may invoke the alias whose events the function believes: a direct invocation could carry an
    event naming any principal."""
    caller = Principal(SAME_ACCOUNT_ROLE, [_invoke_function_policy(every_option_synth, values)])
    assert not allowed(caller, INVOKE, url_alias, DIRECT)
    assert not allowed(caller, INVOKE, url_alias)
    # ...and the URL is the AWS_IAM one only; the function and its async alias stay invocable as before.
    assert not allowed(caller, INVOKE_URL, url_alias, {"lambda:FunctionUrlAuthType": "NONE"})
    assert allowed(caller, INVOKE, values.arn(ids.INVOKER_FUNCTION))
    assert not allowed(caller, INVOKE_URL, values.arn(ids.INVOKER_FUNCTION), {"lambda:FunctionUrlAuthType": "AWS_IAM"})


def test_a_caller_in_another_account_needs_the_resource_policy_the_stack_grants(
    every_option_synth: Synth, values: CfnValues, url_alias: str
) -> None:
    own_policy = _invoke_function_policy(every_option_synth, values)  # the same statements, in its own account
    caller = Principal(OTHER_ACCOUNT_ROLE, [own_policy])
    resource_policy = _resource_policy(values, ids.URL_ALIAS)
    assert through_the_url(caller, url_alias, resource_policy)
    empty: dict[str, Any] = {"Version": "2012-10-17", "Statement": []}
    assert not through_the_url(caller, url_alias, empty)
    # The resource policy, too, allows the alias only through the URL.
    assert not allowed(
        caller, INVOKE, url_alias, DIRECT, resource_policy=resource_policy, resource_owner=SAMPLE_ACCOUNT
    )
    stranger = Principal("arn:aws:iam::999999999999:role/x", [own_policy])
    assert not through_the_url(stranger, url_alias, resource_policy)
