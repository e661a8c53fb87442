"""The member baseline's configuration provider, taken from the synthesized template (`Code.ZipFile`), run as
CloudFormation runs it in a member account's StackSet instance.

Its code is written out as `index.py` and imported from there; its environment and the resource's properties are the
template's, resolved for a member account, its Region and the stack name StackSets gives the instance
(tests/support/cfn_values.py). Bedrock is moto's, with the credentials of a role in the member account (moto keeps one
backend per account); DescribeStacks is a stand-in that answers for that stack only; responses go by a real HTTP
PUT to a server on 127.0.0.1. A second template, synthesized here with text only and the configuration deleted with
the stack, is the update: what CloudFormation deploys when `log_data` and `log_keep_configuration_on_delete` change.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
from moto import mock_aws

from core.organization.rollout import MEMBER_STACK_NAME
from stacks.organization.member import synthesize_member
from tests.support import logical_ids as ids
from tests.support.cfn_values import CfnValues
from tests.support.configuration_provider import (
    Bedrock,
    CloudFormation,
    Responses,
    ResponseServer,
    response_server,
    response_url,
)
from tests.support.fake_account import fake_credentials_session
from tests.support.iam_evaluator import Principal, allowed
from tests.support.project import FEATURE_FLAGS, ORGANIZATION_CONTEXT, STORAGE_ACTIONS, config_for
from tests.support.synth import Synth, deployment_plan

MEMBER_ACCOUNT = "210987654321"
REGION = "eu-west-1"
# The name StackSets gives a stack instance: StackSet-<StackSet name>-<ID>.
INSTANCE = "StackSet-claude-on-bedrock-member-baseline-5f0e6f2a-1c9e-4d3b-9f62-0d8b2c1a7e44"


@dataclass
class Deployed:
    """One version of the member template as CloudFormation would run it: the provider's code module and
    environment, the configuration resource's properties, and sample values of the template's intrinsics."""

    module: ModuleType
    environment: dict[str, str]
    properties: dict[str, Any]
    values: CfnValues

    @property
    def configuration(self) -> dict[str, Any]:
        return dict(json.loads(self.environment["LOGGING_CONFIGURATION"]))


def deployed(template: dict[str, Any], name: str, directory: Path) -> Deployed:
    function = template["Resources"][ids.PROVIDER_FUNCTION]["Properties"]
    code = directory / name / "index.py"
    code.parent.mkdir(parents=True)
    code.write_text(function["Code"]["ZipFile"])
    spec = importlib.util.spec_from_file_location(f"member_provider_{name}", code)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while it runs
    spec.loader.exec_module(module)
    values = CfnValues(template, region=REGION, account=MEMBER_ACCOUNT, stack_name=INSTANCE)
    environment = values.resolve(function["Environment"]["Variables"])
    properties = values.resolve(template["Resources"][ids.CONFIGURATION_RESOURCE]["Properties"])
    return Deployed(module, environment, properties, values)


@pytest.fixture(scope="module")
def versions(organization_synth: Synth, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Deployed]:
    """`first`: the shared organization synthesis; `update`: text only, configuration deleted with the stack,
    customer-managed retention storage."""
    directory = tmp_path_factory.mktemp("member-provider")
    update = config_for(
        **ORGANIZATION_CONTEXT,
        log_data=["text"],
        log_keep_configuration_on_delete=False,
        data_retention_storage="customer_managed",
        data_retention_storage_actions=STORAGE_ACTIONS,
    )
    member_plans = deployment_plan(update).member_regions
    updated = synthesize_member(update, member_plans, directory / "update-assembly", FEATURE_FLAGS)
    assert updated.passed_rule_packs
    return {
        "first": deployed(organization_synth.templates[MEMBER_STACK_NAME], "first", directory),
        "update": deployed(updated.template, "update", directory),
    }


@pytest.fixture(scope="module")
def session() -> Iterator[boto3.Session]:
    """One session with fake credentials for the module's tests."""
    with fake_credentials_session() as shared:
        yield shared


@pytest.fixture
def member_bedrock(session: boto3.Session) -> Iterator[tuple[Any, Any]]:
    """moto's Bedrock in the member account (a role assumed there) and in the management account, both new."""
    with mock_aws():
        sts = session.client("sts", region_name=REGION)
        role = f"arn:aws:iam::{MEMBER_ACCOUNT}:role/stacksets-exec-0123456789abcdef"
        credentials = sts.assume_role(RoleArn=role, RoleSessionName="stackset")["Credentials"]
        member = session.client(
            "bedrock",
            region_name=REGION,
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
        )
        yield Bedrock(member), session.client("bedrock", region_name=REGION)


@pytest.fixture(scope="module")
def responses_server() -> Iterator[ResponseServer]:
    with response_server() as server:
        yield server


@pytest.fixture
def responses(responses_server: ResponseServer) -> Responses:
    """The module's response server, with nothing received yet."""
    return responses_server.fresh()


def stored(bedrock: Any) -> dict[str, Any]:
    return dict(bedrock.get_model_invocation_logging_configuration().get("loggingConfig") or {})


def invoke(
    version: Deployed,
    request: str,
    *,
    bedrock: Any,
    responses: Responses,
    monkeypatch: pytest.MonkeyPatch,
    status: str,
    old: Deployed | None = None,
    properties: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The provider's handler with `version`'s environment, for the event CloudFormation sends; the response PUT."""
    for key, value in version.environment.items():
        monkeypatch.setenv(key, value)
    event: dict[str, Any] = {
        "RequestType": request,
        "ServiceToken": f"arn:aws:lambda:{REGION}:{MEMBER_ACCOUNT}:function:{ids.PROVIDER_FUNCTION}",
        "ResponseURL": response_url(version.values.stack_id, ids.CONFIGURATION_RESOURCE, REGION),
        "StackId": version.values.stack_id,
        "RequestId": f"request-{len(responses.received)}",
        "LogicalResourceId": ids.CONFIGURATION_RESOURCE,
        "ResourceType": "Custom::BedrockModelInvocationLogging",
        "ResourceProperties": {k: v for k, v in (properties or version.properties).items() if k != "ServiceToken"},
    }
    if request != "Create":
        event["PhysicalResourceId"] = version.module.PHYSICAL_RESOURCE_ID
    if old is not None:
        event["OldResourceProperties"] = {k: v for k, v in old.properties.items() if k != "ServiceToken"}
    cloudformation = CloudFormation(status, stack_id=version.values.stack_id)
    version.module.handler(event, None, bedrock=bedrock, cloudformation=cloudformation, opener=responses.opener)
    assert cloudformation.calls[0] == version.values.stack_id
    return responses.received[-1] if responses.received else {}


def test_create_update_and_delete_put_update_and_remove_the_member_accounts_configuration(
    versions: dict[str, Deployed],
    member_bedrock: tuple[Any, Any],
    responses: Responses,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bedrock, management = member_bedrock
    first, update = versions["first"], versions["update"]
    common = {"bedrock": bedrock, "responses": responses, "monkeypatch": monkeypatch}

    created = invoke(first, "Create", status="CREATE_IN_PROGRESS", **common)
    assert (created["Status"], created["PhysicalResourceId"]) == ("SUCCESS", "bedrock-model-invocation-logging")
    assert stored(bedrock) == first.configuration
    bucket = first.values.physical_name(ids.LOG_BUCKET)
    assert first.configuration["s3Config"] == {"bucketName": bucket, "keyPrefix": "invocation-logs"}
    assert first.configuration["cloudWatchConfig"]["logGroupName"] == (
        f"/aws/bedrock/model-invocations/{MEMBER_STACK_NAME}/{first.values.stack_uuid}"
    )
    assert stored(management) == {}  # the member account's own configuration, nobody else's

    updated = invoke(update, "Update", status="UPDATE_IN_PROGRESS", old=first, **common)
    assert updated["Status"] == "SUCCESS"
    assert stored(bedrock) == update.configuration
    assert (stored(bedrock)["textDataDeliveryEnabled"], stored(bedrock)["imageDataDeliveryEnabled"]) == (True, False)

    deleted = invoke(update, "Delete", status="DELETE_IN_PROGRESS", **common)
    assert (deleted["Status"], deleted["Reason"]) == ("SUCCESS", "configuration deleted")
    assert stored(bedrock) == {}
    assert [r["RequestId"] for r in responses.received] == ["request-0", "request-1", "request-2"]


def test_delete_keeps_the_configuration_by_default(
    versions: dict[str, Deployed],
    member_bedrock: tuple[Any, Any],
    responses: Responses,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bedrock, _ = member_bedrock
    common = {"bedrock": bedrock, "responses": responses, "monkeypatch": monkeypatch}
    invoke(versions["first"], "Create", status="CREATE_IN_PROGRESS", **common)
    kept = invoke(versions["first"], "Delete", status="DELETE_IN_PROGRESS", **common)
    assert (kept["Status"], kept["Reason"]) == ("SUCCESS", "configuration kept (KEEP_CONFIGURATION_ON_DELETE)")
    assert stored(bedrock) == versions["first"].configuration


def test_a_refused_event_is_a_failed_response_with_the_reason_and_changes_nothing(
    versions: dict[str, Deployed],
    member_bedrock: tuple[Any, Any],
    responses: Responses,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bedrock, _ = member_bedrock
    common = {"bedrock": bedrock, "responses": responses, "monkeypatch": monkeypatch}
    # The first version's function, sent the other version's configuration: not what it was deployed with.
    foreign = invoke(
        versions["first"], "Create", status="CREATE_IN_PROGRESS", properties=versions["update"].properties, **common
    )
    assert foreign["Status"] == "FAILED"
    assert foreign["Reason"] == (
        "refused, nothing changed: the configuration in the event is not the one this function was deployed with"
    )
    assert responses.headers[-1]["content-type"] == ""
    # Its own event, while the stack is not being deployed (someone invoking the function by hand): not answered.
    answered = len(responses.received)
    invoke(versions["first"], "Create", status="CREATE_COMPLETE", **common)
    assert len(responses.received) == answered
    assert stored(bedrock) == {}


def test_the_provider_may_read_the_status_of_its_stackset_named_stack_and_no_other(
    versions: dict[str, Deployed], organization_synth: Synth
) -> None:
    """The provider's policy names its stack by AWS::StackName: StackSets names the stack, not the synthesis."""
    template = organization_synth.templates[MEMBER_STACK_NAME]
    values = versions["first"].values
    role_id = template["Resources"][ids.PROVIDER_FUNCTION]["Properties"]["Role"]["Fn::GetAtt"][0]
    (policy_ref,) = template["Resources"][role_id]["Properties"]["ManagedPolicyArns"]
    document = values.resolve(template["Resources"][policy_ref["Ref"]]["Properties"]["PolicyDocument"])
    provider = Principal(values.arn(role_id), [document])
    for action in ("cloudformation:DescribeStacks", "cloudformation:DescribeStackResource"):
        assert allowed(provider, action, values.stack_id)
    other = values.stack_id.replace(INSTANCE, "StackSet-some-other-stack-set-0a1b2c3d")
    assert not allowed(provider, "cloudformation:DescribeStacks", other)
    assert not allowed(provider, "cloudformation:DescribeStackResource", other)
    # A policy naming the synthesized stack name would have missed the instance: the names differ.
    assert not allowed(provider, "cloudformation:DescribeStacks", values.stack_id.replace(INSTANCE, MEMBER_STACK_NAME))


def test_the_member_account_gets_the_configured_data_retention_mode(
    versions: dict[str, Deployed],
    member_bedrock: tuple[Any, Any],
    responses: Responses,
    monkeypatch: pytest.MonkeyPatch,
    organization_synth: Synth,
) -> None:
    """The member template's provider serves the data retention resource too: Create puts the configured mode."""
    bedrock, _ = member_bedrock
    first = versions["first"]
    template = organization_synth.templates[MEMBER_STACK_NAME]
    (logical_id,) = (k for k, v in template["Resources"].items() if v["Type"] == "Custom::BedrockDataRetention")
    assert (first.environment["DATA_RETENTION_RESOURCE_ID"], first.environment["DATA_RETENTION_MODE"]) == (
        logical_id,
        "none",
    )
    for key, value in first.environment.items():
        monkeypatch.setenv(key, value)
    event = {
        "RequestType": "Create",
        "ResponseURL": response_url(first.values.stack_id, logical_id, REGION),
        "StackId": first.values.stack_id,
        "RequestId": "request-retention",
        "LogicalResourceId": logical_id,
        "ResourceType": "Custom::BedrockDataRetention",
        "ResourceProperties": {"Mode": template["Resources"][logical_id]["Properties"]["Mode"]},
    }
    cloudformation = CloudFormation("CREATE_IN_PROGRESS", stack_id=first.values.stack_id)
    first.module.handler(event, None, bedrock=bedrock, cloudformation=cloudformation, opener=responses.opener)
    assert responses.received[-1]["Status"] == "SUCCESS"
    assert bedrock.retention.mode == "none"


def test_with_managed_storage_each_member_keeps_its_own_bucket_and_key_and_the_audit_may_read_the_record(
    versions: dict[str, Deployed],
) -> None:
    """The member baseline provisions the retention bucket and key in each member account and Region (named by the
    account and Region of the instance), and its audit role may read the storage record."""
    update = versions["update"]
    storage = json.loads(update.environment["RETENTION_STORAGE"])
    bucket_arn = storage["storageConfiguration"]["s3BucketArn"]
    assert bucket_arn == f"arn:aws:s3:::claude-retention-{MEMBER_ACCOUNT}-{REGION}-{update.values.stack_uuid[:8]}"
    assert storage["storageConfiguration"]["s3BucketOwner"] == MEMBER_ACCOUNT
    template = update.values.template
    policy = next(r for k, r in template["Resources"].items() if k.startswith("LoggingAuditPolicy"))
    statements = {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"]}
    assert statements["ReadRetentionStorage"]["Action"] == STORAGE_ACTIONS["get"]
