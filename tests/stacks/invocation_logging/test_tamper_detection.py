"""The tamper-detection rules and the delivery-failure alarms of the logging stack.

The synthesized event patterns, resolved to a sample account, are matched by a real EventBridge pattern matcher
(moto's implementation: `moto.events.models.EventPattern`; moto's TestEventPattern API is a stub) against CloudTrail
events of every managed setting's change: an administrator's are caught by `LoggingTamperRule`, the project's own
roles' by `LoggingDeploymentRule` (marked, not dropped), and a real public record of a deletion is caught.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aws_cdk.assertions import Template

from core.data_retention.operations import DATA_RETENTION_STORAGE_CHANGES
from core.invocation_logging.configuration import DELETE_LOGGING_CONFIGURATION, PUT_LOGGING_CONFIGURATION
from core.invocation_logging.guard import DELIVERY_FAILURE_METRICS, sample_cloudtrail_event
from tests.support.cfn_values import CfnValues
from tests.support.cloudtrail_sample import PANTHER_DELETE_RECORD, as_eventbridge_event
from tests.support.fake_guards import matches
from tests.support.logical_ids import LOGGING_ALARM_TOPIC, PROVIDER_FUNCTION
from tests.support.project import CENTRAL_TOPIC_ARN, SAMPLE_ACCOUNT
from tests.support.synth import Synth
from tests.support.templates import resource

REGION = "us-east-1"
# Every call that changes a managed setting, written here from botocore's bedrock model (operation names are
# CloudTrail's event names).
CALLS = (
    PUT_LOGGING_CONFIGURATION,
    DELETE_LOGGING_CONFIGURATION,
    "PutAccountDataRetention",
    "PutAccountDataRetentionStorage",
    "DeleteAccountDataRetentionStorage",
)
TAMPER_RULE_ID = "LoggingTamperRule"
DEPLOYMENT_RULE_ID = "LoggingDeploymentRule"


@pytest.fixture(scope="module")
def logging_stack(default_synth: Synth) -> Template:
    return default_synth.template("ClaudeInvocationLogging-")


@pytest.fixture(scope="module")
def values(default_synth: Synth) -> CfnValues:
    return CfnValues(default_synth.templates[default_synth.stack_name("ClaudeInvocationLogging-")], region=REGION)


def _rule(template: Template, construct_id: str) -> dict[str, Any]:
    (found,) = [r for i, r in template.find_resources("AWS::Events::Rule").items() if construct_id in i]
    return found


@pytest.fixture(scope="module")
def rule(logging_stack: Template) -> dict[str, Any]:
    return _rule(logging_stack, TAMPER_RULE_ID)


@pytest.fixture(scope="module")
def pattern(rule: dict[str, Any], values: CfnValues) -> dict[str, Any]:
    resolved: dict[str, Any] = values.resolve(rule["Properties"]["EventPattern"])
    return resolved


@pytest.fixture(scope="module")
def deployment_pattern(logging_stack: Template, values: CfnValues) -> dict[str, Any]:
    resolved: dict[str, Any] = values.resolve(_rule(logging_stack, DEPLOYMENT_RULE_ID)["Properties"]["EventPattern"])
    return resolved


def provider_session(logging_stack: Template, values: CfnValues) -> tuple[str, str]:
    """How CloudTrail names the provider function's calls: its role's session, named after the function, and the
    session's issuer, the role's ARN with its path."""
    role_id = resource(logging_stack, PROVIDER_FUNCTION)["Properties"]["Role"]["Fn::GetAtt"][0]
    role = values.physical_name(role_id)
    path = resource(logging_stack, role_id)["Properties"]["Path"]
    return (
        f"arn:aws:sts::{SAMPLE_ACCOUNT}:assumed-role/{role}/{PROVIDER_FUNCTION}",
        f"arn:aws:iam::{SAMPLE_ACCOUNT}:role{path}{role}",
    )


ADMINS = {
    "sso-administrator": f"arn:aws:sts::{SAMPLE_ACCOUNT}:assumed-role/AWSReservedSSO_AdministratorAccess_1a2b/alice",
    "iam-user": f"arn:aws:iam::{SAMPLE_ACCOUNT}:user/bob",
    "root": f"arn:aws:iam::{SAMPLE_ACCOUNT}:root",
}


def event(call: str, caller: str, issuer: str | None = None) -> dict[str, Any]:
    return sample_cloudtrail_event(call, account=SAMPLE_ACCOUNT, region=REGION, caller_arn=caller, issuer_arn=issuer)


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("caller", ADMINS.values(), ids=ADMINS.keys())
def test_an_administrators_change_is_caught(
    pattern: dict[str, Any], deployment_pattern: dict[str, Any], call: str, caller: str
) -> None:
    assert matches(pattern, event(call, caller))
    assert not matches(deployment_pattern, event(call, caller))


@pytest.mark.parametrize("call", CALLS)
def test_the_projects_own_deployment_is_heard_as_such(
    pattern: dict[str, Any], deployment_pattern: dict[str, Any], logging_stack: Template, values: CfnValues, call: str
) -> None:
    provider = event(call, *provider_session(logging_stack, values))
    assert matches(deployment_pattern, provider)
    assert not matches(pattern, provider)


def test_the_organization_storage_changes_are_heard_too(pattern: dict[str, Any]) -> None:
    """Called from the management account or a delegated administrator: heard where such a stack runs."""
    assert {"PutOrganizationDataRetentionStorage", "DeleteOrganizationDataRetentionStorage"} <= set(
        DATA_RETENTION_STORAGE_CHANGES
    )
    for call in ("PutOrganizationDataRetentionStorage", "DeleteOrganizationDataRetentionStorage"):
        assert matches(pattern, event(call, ADMINS["root"]))


def test_a_role_whose_name_only_starts_like_the_project_path_is_caught(
    pattern: dict[str, Any], deployment_pattern: dict[str, Any], logging_stack: Template, values: CfnValues
) -> None:
    session, issuer = provider_session(logging_stack, values)
    lookalike = issuer.replace("/claude-on-bedrock/", "/claude-on-bedrock-x/")
    assert matches(pattern, event(PUT_LOGGING_CONFIGURATION, session, lookalike))
    assert not matches(deployment_pattern, event(PUT_LOGGING_CONFIGURATION, session, lookalike))


def test_a_caller_without_a_session_issuer_is_caught(pattern: dict[str, Any]) -> None:
    anonymous = event(DELETE_LOGGING_CONFIGURATION, ADMINS["iam-user"])
    assert "sessionContext" not in anonymous["detail"]["userIdentity"]
    assert matches(pattern, anonymous)


def test_the_real_public_record_of_a_deletion_is_caught(pattern: dict[str, Any], default_synth: Synth) -> None:
    """panther-labs/panther-analysis's sample (tests/support/cloudtrail_sample.py), against the pattern resolved for
    the record's own account."""
    name = default_synth.stack_name("ClaudeInvocationLogging-")
    own = CfnValues(default_synth.templates[name], region="us-west-2", account="123123123123")
    resolved = own.resolve(_rule(default_synth.template("ClaudeInvocationLogging-"), TAMPER_RULE_ID)["Properties"])
    real = as_eventbridge_event(PANTHER_DELETE_RECORD)
    assert matches(resolved["EventPattern"], real)
    # The same record, had the project's provider made it, is heard by the deployment rule instead.
    deployment = own.resolve(
        _rule(default_synth.template("ClaudeInvocationLogging-"), DEPLOYMENT_RULE_ID)["Properties"]
    )
    assert not matches(deployment["EventPattern"], real)


def test_other_calls_and_sources_are_ignored(pattern: dict[str, Any], deployment_pattern: dict[str, Any]) -> None:
    for candidate in (pattern, deployment_pattern):
        assert not matches(candidate, event("GetModelInvocationLoggingConfiguration", ADMINS["root"]))
        assert not matches(candidate, event("GetAccountDataRetention", ADMINS["root"]))
    other_source = event(PUT_LOGGING_CONFIGURATION, ADMINS["root"])
    other_source["detail"]["eventSource"] = "bedrock-mantle.amazonaws.com"
    assert not matches(pattern, other_source)
    assert not matches(pattern, {**event(PUT_LOGGING_CONFIGURATION, ADMINS["root"]), "source": "aws.s3"})


def render(template: str, paths: dict[str, str], sample: dict[str, Any]) -> str:
    """EventBridge's input transformer, as its user guide describes it: each <name> becomes the value at its JSON
    path (objects as JSON), a path missing from the event leaves nothing."""

    def value(path: str) -> str:
        node: Any = sample
        for part in path.removeprefix("$.").split("."):
            if not isinstance(node, dict) or part not in node:
                return ""
            node = node[part]
        return json.dumps(node, separators=(",", ":")) if isinstance(node, dict) else str(node)

    return re.sub(r"<([A-Za-z]+)>", lambda m: value(paths[m.group(1)]), template)


def test_the_notification_says_who_when_from_where_and_what(
    rule: dict[str, Any], logging_stack: Template, values: CfnValues
) -> None:
    (target,) = rule["Properties"]["Targets"]
    assert target["Arn"] == {"Ref": LOGGING_ALARM_TOPIC}
    transformer = target["InputTransformer"]
    template, paths = transformer["InputTemplate"], transformer["InputPathsMap"]
    assert set(re.findall(r"<([A-Za-z]+)>", template)) == set(paths)
    put = render(template, paths, event(PUT_LOGGING_CONFIGURATION, ADMINS["sso-administrator"]))
    assert put.startswith(
        "A setting this project manages (Amazon Bedrock model invocation logging or data retention) "
        "was changed outside this project's deployment."
    )
    assert f"Who: {ADMINS['sso-administrator']} (AssumedRole), role arn:aws:iam::{SAMPLE_ACCOUNT}:role/" in put
    assert "When: 2026-11-25T10:00:00Z" in put
    assert "From: 203.0.113.10, user agent aws-cli/2.27.0" in put
    assert f"API call: PutModelInvocationLoggingConfiguration in {REGION} of account {SAMPLE_ACCOUNT}" in put
    assert 'Request: {"loggingConfig":{"textDataDeliveryEnabled":false}}' in put
    delete = render(template, paths, event(DELETE_LOGGING_CONFIGURATION, ADMINS["root"]))
    assert "Request: \n" in delete and "Who: " + ADMINS["root"] + " (Root), role \n" in delete
    # Plain text, not JSON: a quote in a caller's user agent cannot break the message.
    assert not template.lstrip().startswith(("{", '"'))
    # The deployment's message says what it is, with the same facts.
    (deployment,) = _rule(logging_stack, DEPLOYMENT_RULE_ID)["Properties"]["Targets"]
    own = deployment["InputTransformer"]
    heard = render(
        own["InputTemplate"],
        own["InputPathsMap"],
        event(PUT_LOGGING_CONFIGURATION, *provider_session(logging_stack, values)),
    )
    assert "was changed by a role of this project's path (/claude-on-bedrock/): expected during a deployment" in heard
    assert "/claude-on-bedrock/" in heard.split("Who: ", 1)[1]


def test_every_rule_also_notifies_the_configured_topic(every_option_synth: Synth) -> None:
    rules = every_option_synth.template("ClaudeInvocationLogging-").find_resources("AWS::Events::Rule")
    notifying = [r for r in rules.values() if "EventPattern" in r["Properties"]]
    assert len(notifying) == 6  # tamper, deployment and the four guard rules
    for found in notifying:
        targets = found["Properties"]["Targets"]
        assert [t["Arn"] for t in targets][1:] == [CENTRAL_TOPIC_ARN]
        assert targets[0]["InputTransformer"] == targets[1]["InputTransformer"]


def test_failed_deliveries_of_the_rule_are_alarmed(logging_stack: Template) -> None:
    rule_id = next(i for i in logging_stack.find_resources("AWS::Events::Rule") if TAMPER_RULE_ID in i)
    logging_stack.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Namespace": "AWS/Events",
            "MetricName": "FailedInvocations",
            "Dimensions": [{"Name": "RuleName", "Value": {"Ref": rule_id}}],
            "Threshold": 1,
            "AlarmActions": [{"Ref": LOGGING_ALARM_TOPIC}],
        },
    )


@pytest.mark.parametrize("metric", DELIVERY_FAILURE_METRICS)
def test_each_delivery_failure_metric_is_alarmed_across_all_models(logging_stack: Template, metric: str) -> None:
    (alarm,) = [
        a["Properties"]
        for a in logging_stack.find_resources("AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("MetricName") == metric
    ]
    assert alarm["Namespace"] == "AWS/Bedrock"
    assert "Dimensions" not in alarm  # "Across all model IDs": published without dimensions
    assert (alarm["Statistic"], alarm["Period"], alarm["Threshold"]) == ("Sum", 300, 1)
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    # One datapoint per delivery attempt: no traffic is no failure.
    assert alarm["TreatMissingData"] == "notBreaching"
    assert alarm["AlarmActions"] == [{"Ref": LOGGING_ALARM_TOPIC}]


def test_a_topic_of_another_account_is_reached_with_an_execution_role(every_option_synth: Synth) -> None:
    """EventBridge sends to another account's topic only with a role of the rule's account; to a topic of the same
    account, without one. A CloudFormation condition decides, as the account may be known only at deployment."""
    template = every_option_synth.template("ClaudeInvocationLogging-").to_json()
    (condition_id, condition), *_ = template["Conditions"].items()
    assert condition == {"Fn::Not": [{"Fn::Equals": [{"Ref": "AWS::AccountId"}, CENTRAL_TOPIC_ARN.split(":")[4]]}]}
    own, central = _rule(every_option_synth.template("ClaudeInvocationLogging-"), TAMPER_RULE_ID)["Properties"][
        "Targets"
    ]
    assert "RoleArn" not in own
    (role_id,) = [i for i, r in template["Resources"].items() if "TamperRuleTargetRole" in i]
    assert central["RoleArn"] == {"Fn::If": [condition_id, {"Fn::GetAtt": [role_id, "Arn"]}, {"Ref": "AWS::NoValue"}]}
    role = template["Resources"][role_id]
    assert role["Condition"] == condition_id
    (policy,) = role["Properties"]["ManagedPolicyArns"]
    statements = template["Resources"][policy["Ref"]]["Properties"]["PolicyDocument"]["Statement"]
    assert statements == [
        {
            "Sid": "PublishToTheConfiguredAlarmTopic",
            "Effect": "Allow",
            "Action": "sns:Publish",
            "Resource": CENTRAL_TOPIC_ARN,
        }
    ]
    assert template["Outputs"]["TamperRuleTargetRoleArn"]["Condition"] == condition_id
