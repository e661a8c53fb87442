"""The invocation logging stack: encryption, retention, tamper resistance, least privilege, the Bedrock call."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Capture, Match, Template

from stacks.config import ConfigError
from stacks.invocation_logging.stack import InvocationLoggingStack
from tests.synth import FEATURE_FLAGS, Synth, config_for, synth

STACK = "ClaudeInvocationLogging-us-east-1"
ACCOUNT = {"Ref": "AWS::AccountId"}
STACK_UUID = {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}
BEDROCK_SOURCE_ARN = {"Fn::Join": ["", ["arn:aws:bedrock:us-east-1:", ACCOUNT, ":*"]]}
BEDROCK_CONDITIONS = {
    "StringEquals": {"aws:SourceAccount": ACCOUNT},
    "ArnLike": {"aws:SourceArn": BEDROCK_SOURCE_ARN},
}
# Stateful resources: a change of these logical IDs replaces (or orphans) the logs. Changing them must be deliberate.
KEY_ID = "ClaudeInvocationLoggingInvocationLogKey4D9A8F2A"
BUCKET_ID = "ClaudeInvocationLoggingInvocationLogBucket1F7E1819"
ACCESS_LOG_BUCKET_ID = "ClaudeInvocationLoggingAccessLogBucket7C36F982"
LOG_GROUP_ID = "ClaudeInvocationLoggingInvocationLogGroup13F59F74"
PROVIDER_LOG_GROUP_ID = "ClaudeInvocationLoggingConfigurationProviderLogGroup1BC661DD"
DELIVERY_ROLE_ID = "ClaudeInvocationLoggingLoggingDeliveryRole749D9ADE"
CONFIGURATION_TYPE = "Custom::BedrockModelInvocationLogging"

VARIANT = {
    "log_retention_days": 90,
    "log_object_lock": "governance",
    "log_object_lock_days": 60,
    "log_removal_policy": "destroy",
    "keep_logging_configuration_on_delete": False,
    "log_data": ["text", "embedding"],
}


@pytest.fixture(scope="module")
def logging_stack(default_synth: Synth) -> Template:
    return default_synth.template("ClaudeInvocationLogging-")


@pytest.fixture(scope="module")
def variant() -> Template:
    return synth(VARIANT).template("ClaudeInvocationLogging-")


def _resource(template: Template, logical_id: str) -> dict[str, Any]:
    resources: dict[str, Any] = template.to_json()["Resources"]
    return resources[logical_id]


def _only(template: Template, resource_type: str) -> dict[str, Any]:
    (resource,) = template.find_resources(resource_type).values()
    return resource


def _statement(document: dict[str, Any], sid: str) -> dict[str, Any]:
    (statement,) = [s for s in document["Statement"] if s.get("Sid") == sid]
    return statement


def _merged(parts: list[Any]) -> list[Any]:
    """Fn::Join parts with adjacent literal strings joined, as aws-cdk-lib writes them."""
    merged: list[Any] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return merged


def _rendered(value: Any) -> str:
    """A Fn::Join of literal text and tokens, with each token written as <Ref:Id> or <Id.Attr>."""
    parts = []
    for part in value["Fn::Join"][1]:
        if isinstance(part, str):
            parts.append(part)
        elif "Ref" in part:
            parts.append(f"<Ref:{part['Ref']}>")
        else:
            parts.append(f"<{'.'.join(part['Fn::GetAtt'])}>")
    return "".join(parts)


def _sdk_call(template: Template, event: str) -> dict[str, Any]:
    properties = _only(template, CONFIGURATION_TYPE)["Properties"]
    if event not in properties:
        return {}
    value = properties[event]
    return json.loads(value if isinstance(value, str) else _rendered(value))


# Stateful resources: stable identity and removal policy


def test_logical_ids_of_stateful_resources_are_pinned(logging_stack: Template) -> None:
    assert set(logging_stack.find_resources("AWS::KMS::Key")) == {KEY_ID}
    assert set(logging_stack.find_resources("AWS::S3::Bucket")) == {BUCKET_ID, ACCESS_LOG_BUCKET_ID}
    assert set(logging_stack.find_resources("AWS::Logs::LogGroup")) == {LOG_GROUP_ID, PROVIDER_LOG_GROUP_ID}


def test_stateful_resources_are_retained_by_default(logging_stack: Template) -> None:
    for logical_id in (KEY_ID, BUCKET_ID, ACCESS_LOG_BUCKET_ID, LOG_GROUP_ID, PROVIDER_LOG_GROUP_ID):
        resource = _resource(logging_stack, logical_id)
        assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == ("Retain", "Retain"), logical_id


def test_destroy_policy_is_honoured(variant: Template) -> None:
    for logical_id in (KEY_ID, BUCKET_ID, ACCESS_LOG_BUCKET_ID, LOG_GROUP_ID, PROVIDER_LOG_GROUP_ID):
        assert _resource(variant, logical_id)["DeletionPolicy"] == "Delete", logical_id


# KMS key


def test_key_is_customer_managed_with_rotation(logging_stack: Template) -> None:
    logging_stack.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


def test_key_policy_lets_bedrock_write_only_for_this_account_and_region(logging_stack: Template) -> None:
    policy = _resource(logging_stack, KEY_ID)["Properties"]["KeyPolicy"]
    assert _statement(policy, "AllowBedrockToWriteInvocationLogsOfThisAccountAndRegion") == {
        "Sid": "AllowBedrockToWriteInvocationLogsOfThisAccountAndRegion",
        "Effect": "Allow",
        "Principal": {"Service": "bedrock.amazonaws.com"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": "*",
        "Condition": BEDROCK_CONDITIONS,
    }


def test_key_policy_lets_cloudwatch_logs_encrypt_only_the_invocation_log_groups(logging_stack: Template) -> None:
    policy = _resource(logging_stack, KEY_ID)["Properties"]["KeyPolicy"]
    statement = _statement(policy, "AllowCloudWatchLogsForTheInvocationLogGroupsOnly")
    assert statement["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert statement["Action"] == [
        "kms:Decrypt*",
        "kms:Describe*",
        "kms:Encrypt*",
        "kms:GenerateDataKey*",
        "kms:ReEncrypt*",
    ]
    assert list(statement["Condition"]) == ["ArnLike"]
    arns = statement["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
    # Exactly the ARNs of the two log groups of this stack, built from the same names the groups are given.
    for arn, group_id in zip(arns, (LOG_GROUP_ID, PROVIDER_LOG_GROUP_ID), strict=True):
        name = _resource(logging_stack, group_id)["Properties"]["LogGroupName"]["Fn::Join"][1]
        assert _merged(arn["Fn::Join"][1]) == _merged(["arn:aws:logs:us-east-1:", ACCOUNT, ":log-group:", *name])


def test_key_policy_grants_no_other_service(logging_stack: Template) -> None:
    policy = _resource(logging_stack, KEY_ID)["Properties"]["KeyPolicy"]
    principals = [s["Principal"] for s in policy["Statement"]]
    assert principals == [
        {"AWS": {"Fn::Join": ["", ["arn:aws:iam::", ACCOUNT, ":root"]]}},
        {"Service": "bedrock.amazonaws.com"},
        {"Service": "logs.us-east-1.amazonaws.com"},
    ]


# S3 buckets


def test_log_bucket_is_kms_encrypted_versioned_private_and_owner_enforced(logging_stack: Template) -> None:
    matching = logging_stack.find_resources(
        "AWS::S3::Bucket",
        {
            "Properties": {
                "BucketEncryption": {
                    "ServerSideEncryptionConfiguration": [
                        {
                            "BucketKeyEnabled": True,
                            "ServerSideEncryptionByDefault": {
                                "SSEAlgorithm": "aws:kms",
                                "KMSMasterKeyID": {"Fn::GetAtt": [KEY_ID, "Arn"]},
                            },
                        }
                    ]
                },
                "VersioningConfiguration": {"Status": "Enabled"},
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True,
                    "BlockPublicPolicy": True,
                    "IgnorePublicAcls": True,
                    "RestrictPublicBuckets": True,
                },
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                "LoggingConfiguration": {
                    "DestinationBucketName": {"Ref": ACCESS_LOG_BUCKET_ID},
                    "LogFilePrefix": "invocation-log-bucket/",
                },
            }
        },
    )
    assert list(matching) == [BUCKET_ID]


def test_log_bucket_has_no_object_lock_by_default(logging_stack: Template) -> None:
    properties = _resource(logging_stack, BUCKET_ID)["Properties"]
    assert "ObjectLockEnabled" not in properties
    assert "ObjectLockConfiguration" not in properties


@pytest.mark.parametrize("bucket_id", [BUCKET_ID, ACCESS_LOG_BUCKET_ID])
def test_lifecycle_expires_after_retention(logging_stack: Template, bucket_id: str) -> None:
    rules = _resource(logging_stack, bucket_id)["Properties"]["LifecycleConfiguration"]["Rules"]
    assert rules == [
        {
            "Id": "ExpireAfterRetention",
            "Status": "Enabled",
            "ExpirationInDays": 30,
            "NoncurrentVersionExpiration": {"NoncurrentDays": 7},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
        },
        {"Id": "RemoveExpiredDeleteMarkers", "Status": "Enabled", "ExpiredObjectDeleteMarker": True},
    ]


def test_access_log_bucket_is_sse_s3_versioned_and_private(logging_stack: Template) -> None:
    properties = _resource(logging_stack, ACCESS_LOG_BUCKET_ID)["Properties"]
    assert properties["BucketEncryption"] == {
        "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
    }
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    assert all(properties["PublicAccessBlockConfiguration"].values())
    assert "LoggingConfiguration" not in properties


def _bucket_policy(template: Template, bucket_id: str) -> dict[str, Any]:
    (policy,) = [
        p
        for p in template.find_resources("AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": bucket_id}
    ]
    document: dict[str, Any] = policy["Properties"]["PolicyDocument"]
    return document


@pytest.mark.parametrize("bucket_id", [BUCKET_ID, ACCESS_LOG_BUCKET_ID])
def test_buckets_refuse_plain_http_and_old_tls(logging_stack: Template, bucket_id: str) -> None:
    document = _bucket_policy(logging_stack, bucket_id)
    everything = [
        {"Fn::GetAtt": [bucket_id, "Arn"]},
        {"Fn::Join": ["", [{"Fn::GetAtt": [bucket_id, "Arn"]}, "/*"]]},
    ]
    denies = [s for s in document["Statement"] if s["Effect"] == "Deny"]
    assert denies == [
        {
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": "s3:*",
            "Resource": everything,
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
        {
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": "s3:*",
            "Resource": everything,
            "Condition": {"NumericLessThan": {"s3:TlsVersion": 1.2}},
        },
    ]


def test_bucket_policy_lets_bedrock_put_only_its_log_paths(logging_stack: Template) -> None:
    document = _bucket_policy(logging_stack, BUCKET_ID)
    allows = [s for s in document["Statement"] if s["Effect"] == "Allow"]

    def path(prefix: str) -> dict[str, Any]:
        return {
            "Fn::Join": [
                "",
                [
                    {"Fn::GetAtt": [BUCKET_ID, "Arn"]},
                    f"/{prefix}/AWSLogs/",
                    ACCOUNT,
                    "/BedrockModelInvocationLogs/*",
                ],
            ]
        }

    assert allows == [
        {
            "Sid": "AllowBedrockToWriteInvocationLogsOfThisAccountAndRegion",
            "Effect": "Allow",
            "Principal": {"Service": "bedrock.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": [path("invocation-logs"), path("large-payloads")],
            "Condition": BEDROCK_CONDITIONS,
        }
    ]


def test_access_log_bucket_accepts_only_s3_logging_of_the_log_bucket(logging_stack: Template) -> None:
    allows = [s for s in _bucket_policy(logging_stack, ACCESS_LOG_BUCKET_ID)["Statement"] if s["Effect"] == "Allow"]
    assert allows == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "logging.s3.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": [ACCESS_LOG_BUCKET_ID, "Arn"]}, "/invocation-log-bucket/*"]]},
            "Condition": {
                "ArnLike": {"aws:SourceArn": {"Fn::GetAtt": [BUCKET_ID, "Arn"]}},
                "StringEquals": {"aws:SourceAccount": ACCOUNT},
            },
        }
    ]


# CloudWatch Logs


def test_log_group_retention_encryption_and_name(logging_stack: Template) -> None:
    properties = _resource(logging_stack, LOG_GROUP_ID)["Properties"]
    assert properties["RetentionInDays"] == 30
    assert properties["KmsKeyId"] == {"Fn::GetAtt": [KEY_ID, "Arn"]}
    assert properties["LogGroupName"] == {
        "Fn::Join": ["", ["/aws/bedrock/model-invocations/ClaudeInvocationLogging-us-east-1/", STACK_UUID]]
    }
    provider = _resource(logging_stack, PROVIDER_LOG_GROUP_ID)["Properties"]
    assert (provider["RetentionInDays"], provider["KmsKeyId"]) == (30, {"Fn::GetAtt": [KEY_ID, "Arn"]})


def test_delivery_role_is_assumable_only_by_bedrock_of_this_account_and_region(logging_stack: Template) -> None:
    role = _resource(logging_stack, DELIVERY_ROLE_ID)["Properties"]
    assert role["AssumeRolePolicyDocument"] == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "bedrock.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": BEDROCK_CONDITIONS,
            }
        ],
    }
    assert "Policies" not in role


def test_delivery_role_may_only_write_the_invocation_log_group(logging_stack: Template) -> None:
    role = _resource(logging_stack, DELIVERY_ROLE_ID)["Properties"]
    (policy_ref,) = role["ManagedPolicyArns"]
    policy = _resource(logging_stack, policy_ref["Ref"])["Properties"]["PolicyDocument"]
    group_arn = {"Fn::GetAtt": [LOG_GROUP_ID, "Arn"]}
    assert policy["Statement"] == [
        {
            "Sid": "WriteInvocationLogStreams",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": [group_arn, {"Fn::Join": ["", [group_arn, ":log-stream:*"]]}],
        }
    ]
    # Nothing else in the stack grants the delivery role anything.
    attached = [
        p
        for p in logging_stack.find_resources("AWS::IAM::Policy").values()
        if {"Ref": DELIVERY_ROLE_ID} in p["Properties"].get("Roles", [])
    ]
    assert attached == []


# The logging configuration (custom resource)


def _provider_statements(template: Template) -> list[dict[str, Any]]:
    (function,) = template.find_resources("AWS::Lambda::Function").values()
    role = _resource(template, function["Properties"]["Role"]["Fn::GetAtt"][0])["Properties"]
    assert "Policies" not in role
    (policy_ref,) = role["ManagedPolicyArns"]
    statements: list[dict[str, Any]] = _resource(template, policy_ref["Ref"])["Properties"]["PolicyDocument"][
        "Statement"
    ]
    return statements


def test_provider_may_put_the_configuration_and_pass_only_the_delivery_role_to_bedrock(
    logging_stack: Template,
) -> None:
    statements = _provider_statements(logging_stack)
    assert statements[:2] == [
        {
            "Sid": "ConfigureModelInvocationLogging",
            "Effect": "Allow",
            "Action": "bedrock:PutModelInvocationLoggingConfiguration",
            "Resource": "*",
        },
        {
            "Sid": "PassDeliveryRoleToBedrockOnly",
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": {"Fn::GetAtt": [DELIVERY_ROLE_ID, "Arn"]},
            "Condition": {"StringEquals": {"iam:PassedToService": "bedrock.amazonaws.com"}},
        },
    ]
    assert [s["Sid"] for s in statements] == [
        "ConfigureModelInvocationLogging",
        "PassDeliveryRoleToBedrockOnly",
        "WriteOwnLogs",
    ]


def test_create_and_update_put_the_configuration(logging_stack: Template) -> None:
    expected_config = {
        "s3Config": {"bucketName": f"<Ref:{BUCKET_ID}>", "keyPrefix": "invocation-logs"},
        "cloudWatchConfig": {
            "logGroupName": f"<Ref:{LOG_GROUP_ID}>",
            "roleArn": f"<{DELIVERY_ROLE_ID}.Arn>",
            "largeDataDeliveryS3Config": {"bucketName": f"<Ref:{BUCKET_ID}>", "keyPrefix": "large-payloads"},
        },
        "textDataDeliveryEnabled": True,
        "imageDataDeliveryEnabled": True,
        "embeddingDataDeliveryEnabled": False,
        "videoDataDeliveryEnabled": False,
        "audioDataDeliveryEnabled": False,
    }
    for event in ("Create", "Update"):
        assert _sdk_call(logging_stack, event) == {
            "service": "bedrock",
            "action": "PutModelInvocationLoggingConfiguration",
            "parameters": {"loggingConfig": expected_config},
            "physicalResourceId": {"id": "bedrock-model-invocation-logging"},
        }, event


def test_configuration_is_kept_when_the_stack_is_deleted_by_default(logging_stack: Template) -> None:
    assert _sdk_call(logging_stack, "Delete") == {}
    actions = [s["Action"] for s in _provider_statements(logging_stack)]
    assert "bedrock:DeleteModelInvocationLoggingConfiguration" not in json.dumps(actions)


def test_configuration_is_deleted_with_the_stack_when_asked(variant: Template) -> None:
    assert _sdk_call(variant, "Delete") == {"service": "bedrock", "action": "DeleteModelInvocationLoggingConfiguration"}
    assert sorted(_provider_statements(variant)[0]["Action"]) == [
        "bedrock:DeleteModelInvocationLoggingConfiguration",
        "bedrock:PutModelInvocationLoggingConfiguration",
    ]


def test_configuration_waits_for_the_bucket_policy(logging_stack: Template) -> None:
    depends_on = _only(logging_stack, CONFIGURATION_TYPE)["DependsOn"]
    policy_ids = list(
        logging_stack.find_resources("AWS::S3::BucketPolicy", {"Properties": {"Bucket": {"Ref": BUCKET_ID}}})
    )
    assert policy_ids and set(policy_ids) <= set(depends_on)


def test_provider_function_logs_to_its_own_encrypted_group(logging_stack: Template) -> None:
    logging_stack.has_resource_properties(
        "AWS::Lambda::Function", {"LoggingConfig": {"LogGroup": {"Ref": PROVIDER_LOG_GROUP_ID}}, "Timeout": 120}
    )


# Variant: longer retention, Object Lock, other data kinds


def test_variant_retention_lock_and_flags(variant: Template) -> None:
    assert _resource(variant, LOG_GROUP_ID)["Properties"]["RetentionInDays"] == 90
    bucket = _resource(variant, BUCKET_ID)["Properties"]
    assert bucket["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] == 90
    assert bucket["ObjectLockEnabled"] is True
    assert bucket["ObjectLockConfiguration"] == {
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 60}},
    }
    config = _sdk_call(variant, "Create")["parameters"]["loggingConfig"]
    flags = {k: v for k, v in config.items() if k.endswith("DataDeliveryEnabled")}
    assert flags == {
        "textDataDeliveryEnabled": True,
        "imageDataDeliveryEnabled": False,
        "embeddingDataDeliveryEnabled": True,
        "videoDataDeliveryEnabled": False,
        "audioDataDeliveryEnabled": False,
    }


# Review: description, outputs, rule packs


def test_description_and_outputs_tell_a_reviewer_what_is_kept(logging_stack: Template) -> None:
    template = logging_stack.to_json()
    assert template["Description"] == (
        "Amazon Bedrock model invocation logging for us-east-1: text, image data to S3 and CloudWatch Logs, "
        "KMS-encrypted, kept 30 days; logging configuration kept when the stack is deleted"
    )
    outputs = {name: output["Value"] for name, output in template["Outputs"].items()}
    assert outputs == {
        "InvocationLogBucketName": {"Ref": BUCKET_ID},
        "InvocationLogPrefix": "invocation-logs/",
        "LargePayloadPrefix": "large-payloads/",
        "InvocationLogGroupName": {"Ref": LOG_GROUP_ID},
        "AccessLogBucketName": {"Ref": ACCESS_LOG_BUCKET_ID},
        "RetentionDays": "30",
        "InvocationLogKeyArn": {"Fn::GetAtt": [KEY_ID, "Arn"]},
        "DeliveredData": "text,image",
        "ObjectLock": "off",
    }


def test_no_unacknowledged_rule_pack_finding_on_the_logging_stack(default_synth: Synth) -> None:
    assert STACK in default_synth.templates
    assert [v for v in default_synth.violations if v["path"].startswith(f"{STACK}/")] == []


def test_acknowledgements_sit_on_specific_resources_with_reasons(logging_stack: Template) -> None:
    template = logging_stack.to_json()
    assert "cdk_nag" not in json.dumps(template.get("Metadata", {}))
    reason = Capture()
    acknowledged = logging_stack.find_resources(
        "AWS::IAM::ManagedPolicy",
        {
            "Metadata": {
                "cdk_nag": {
                    "rules_to_suppress": Match.array_with([{"id": "AwsSolutions-IAM5[Resource::*]", "reason": reason}])
                }
            }
        },
    )
    assert len(acknowledged) == 1
    assert "no resource types" in reason.as_string()
    # The key, the log groups and the delivery role need no acknowledgement at all.
    for logical_id in (KEY_ID, LOG_GROUP_ID, PROVIDER_LOG_GROUP_ID, DELIVERY_ROLE_ID):
        assert (
            "Metadata" not in _resource(logging_stack, logical_id)
            or "cdk_nag" not in _resource(logging_stack, logical_id)["Metadata"]
        ), logical_id


# Optional replication of the log bucket (the shared variant synthesis: eu-west-1 to an archive account in eu-central-1)

REPLICA_STACK = "ClaudeInvocationLogging-eu-west-1"
REPLICA_BUCKET = "arn:aws:s3:::example-bedrock-log-archive"
REPLICA_KEY = "arn:aws:kms:eu-central-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"
REPLICA_ACCOUNT = "444455556666"
REPLICATION_ROLE_ID = "ClaudeInvocationLoggingLogReplicationRole6286816F"
PACKS = ("HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321")


@pytest.fixture(scope="module")
def replicated(variant_synth: Synth) -> Template:
    assert variant_synth.config.log_replica_bucket_arn == REPLICA_BUCKET
    return variant_synth.template(REPLICA_STACK)


def _bucket_arn_join(suffix: str) -> dict[str, Any]:
    return {"Fn::Join": ["", [{"Fn::GetAtt": [BUCKET_ID, "Arn"]}, suffix]]}


def _rule(priority: int, prefix: str, *, cross_account: bool = True) -> dict[str, Any]:
    destination: dict[str, Any] = {
        "Bucket": REPLICA_BUCKET,
        "EncryptionConfiguration": {"ReplicaKmsKeyID": REPLICA_KEY},
    }
    if cross_account:
        destination |= {"Account": REPLICA_ACCOUNT, "AccessControlTranslation": {"Owner": "Destination"}}
    return {
        "Id": f"Replicate-{prefix}",
        "Priority": priority,
        "Status": "Enabled",
        "Filter": {"Prefix": f"{prefix}/"},
        "Destination": destination,
        "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
        "DeleteMarkerReplication": {"Status": "Disabled"},
    }


def _replication_statements(template: Template) -> list[dict[str, Any]]:
    role = _resource(template, REPLICATION_ROLE_ID)["Properties"]
    assert "Policies" not in role and "ManagedPolicyArns" not in role
    (policy,) = [
        p
        for p in template.find_resources("AWS::IAM::ManagedPolicy").values()
        if {"Ref": REPLICATION_ROLE_ID} in p["Properties"].get("Roles", [])
    ]
    statements: list[dict[str, Any]] = policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def _rules(template: Template, logical_id: str) -> list[dict[str, str]]:
    metadata = _resource(template, logical_id).get("Metadata", {})
    rules: list[dict[str, str]] = metadata.get("cdk_nag", {}).get("rules_to_suppress", [])
    return rules


def _suppressed(template: Template, logical_id: str) -> list[str]:
    return [rule["id"] for rule in _rules(template, logical_id)]


def test_no_replication_by_default(logging_stack: Template) -> None:
    assert "ReplicationConfiguration" not in _resource(logging_stack, BUCKET_ID)["Properties"]
    assert (
        logging_stack.find_resources(
            "AWS::IAM::Role",
            {
                "Properties": {
                    "AssumeRolePolicyDocument": Match.object_like(
                        {"Statement": [Match.object_like({"Principal": {"Service": "s3.amazonaws.com"}})]}
                    )
                }
            },
        )
        == {}
    )


def test_log_bucket_replicates_both_prefixes_to_the_replica_with_its_key(replicated: Template) -> None:
    properties = _resource(replicated, BUCKET_ID)["Properties"]
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    assert properties["ReplicationConfiguration"] == {
        "Role": {"Fn::GetAtt": [REPLICATION_ROLE_ID, "Arn"]},
        "Rules": [_rule(1, "invocation-logs"), _rule(2, "large-payloads")],
    }


def test_replication_role_is_assumable_only_by_s3_for_this_account(replicated: Template) -> None:
    role = _resource(replicated, REPLICATION_ROLE_ID)["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "s3.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
        }
    ]
    # The role holds one customer-managed policy and no inline one (HIPAA/NIST/PCI IAMNoInlinePolicy).
    attached = [
        p
        for p in replicated.find_resources("AWS::IAM::Policy").values()
        if {"Ref": REPLICATION_ROLE_ID} in p["Properties"].get("Roles", [])
    ]
    assert attached == []


def test_replication_role_may_do_exactly_what_replication_needs(replicated: Template) -> None:
    source_objects = [_bucket_arn_join("/invocation-logs/*"), _bucket_arn_join("/large-payloads/*")]
    replica_objects = [f"{REPLICA_BUCKET}/invocation-logs/*", f"{REPLICA_BUCKET}/large-payloads/*"]
    assert _replication_statements(replicated) == [
        {
            "Sid": "ReadReplicationConfigurationOfTheLogBucket",
            "Effect": "Allow",
            "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
            "Resource": {"Fn::GetAtt": [BUCKET_ID, "Arn"]},
        },
        {
            "Sid": "ReadLogObjectVersionsForReplication",
            "Effect": "Allow",
            "Action": ["s3:GetObjectVersionAcl", "s3:GetObjectVersionForReplication", "s3:GetObjectVersionTagging"],
            "Resource": source_objects,
        },
        {
            # No s3:ReplicateDelete: a deleted log never deletes the copy.
            "Sid": "ReplicateLogObjectsToTheReplicaBucket",
            "Effect": "Allow",
            "Action": ["s3:ObjectOwnerOverrideToBucketOwner", "s3:ReplicateObject", "s3:ReplicateTags"],
            "Resource": replica_objects,
        },
        {
            "Sid": "DecryptLogObjectsThroughS3",
            "Effect": "Allow",
            "Action": "kms:Decrypt",
            "Resource": {"Fn::GetAtt": [KEY_ID, "Arn"]},
            "Condition": {
                "StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"},
                "StringLike": {
                    "kms:EncryptionContext:aws:s3:arn": [{"Fn::GetAtt": [BUCKET_ID, "Arn"]}, *source_objects]
                },
            },
        },
        {
            "Sid": "EncryptReplicasThroughS3",
            "Effect": "Allow",
            "Action": ["kms:Encrypt", "kms:GenerateDataKey"],
            "Resource": REPLICA_KEY,
            "Condition": {
                "StringEquals": {"kms:ViaService": "s3.eu-central-1.amazonaws.com"},
                "StringLike": {"kms:EncryptionContext:aws:s3:arn": [REPLICA_BUCKET, *replica_objects]},
            },
        },
    ]


def test_configuration_waits_for_the_replication_policy(replicated: Template) -> None:
    depends_on = _only(replicated, CONFIGURATION_TYPE)["DependsOn"]
    (policy_id,) = [
        logical_id
        for logical_id, p in replicated.find_resources("AWS::IAM::ManagedPolicy").items()
        if {"Ref": REPLICATION_ROLE_ID} in p["Properties"].get("Roles", [])
    ]
    assert policy_id in depends_on


def test_key_policy_lets_the_replication_role_decrypt_through_s3_only(replicated: Template) -> None:
    policy = _resource(replicated, KEY_ID)["Properties"]["KeyPolicy"]
    assert _statement(policy, "AllowLogReplicationToDecryptThroughS3") == {
        "Sid": "AllowLogReplicationToDecryptThroughS3",
        "Effect": "Allow",
        "Principal": {"AWS": {"Fn::GetAtt": [REPLICATION_ROLE_ID, "Arn"]}},
        "Action": "kms:Decrypt",
        "Resource": "*",
        "Condition": {"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}},
    }


def test_replication_acknowledgement_only_when_replication_is_off(
    logging_stack: Template, replicated: Template
) -> None:
    expected = [f"{pack}-S3BucketReplicationEnabled" for pack in PACKS]
    assert [r for r in _suppressed(logging_stack, BUCKET_ID) if "Replication" in r] == expected
    assert [r for r in _suppressed(replicated, BUCKET_ID) if "Replication" in r] == []
    assert "Metadata" not in _resource(replicated, BUCKET_ID)
    # The access-log bucket is never replicated: acknowledged in both cases, with a reason of its own once the
    # invocation logs are replicated (the data-residency reason no longer holds then).
    for template in (logging_stack, replicated):
        rules = _resource(template, ACCESS_LOG_BUCKET_ID)["Metadata"]["cdk_nag"]["rules_to_suppress"]
        assert [r["id"] for r in rules if "Replication" in r["id"]] == expected
    (default_reason,) = {r["reason"] for r in _rules(logging_stack, ACCESS_LOG_BUCKET_ID) if r["id"] in expected}
    assert default_reason.startswith("Invocation logs must stay in the Region they were recorded in")
    (own_reason,) = {r["reason"] for r in _rules(replicated, ACCESS_LOG_BUCKET_ID) if r["id"] in expected}
    assert own_reason.startswith("This bucket holds S3 server access logs of the invocation-log bucket")
    assert "replicated (log_replica_bucket_arn)" in own_reason


def test_replication_policy_acknowledges_only_its_prefixes(replicated: Template) -> None:
    (policy_id,) = [
        logical_id
        for logical_id, p in replicated.find_resources("AWS::IAM::ManagedPolicy").items()
        if {"Ref": REPLICATION_ROLE_ID} in p["Properties"].get("Roles", [])
    ]
    assert _suppressed(replicated, policy_id) == [
        f"AwsSolutions-IAM5[Resource::<{BUCKET_ID}.Arn>/invocation-logs/*]",
        f"AwsSolutions-IAM5[Resource::{REPLICA_BUCKET}/invocation-logs/*]",
        f"AwsSolutions-IAM5[Resource::<{BUCKET_ID}.Arn>/large-payloads/*]",
        f"AwsSolutions-IAM5[Resource::{REPLICA_BUCKET}/large-payloads/*]",
    ]


def test_no_unacknowledged_rule_pack_finding_with_replication(variant_synth: Synth) -> None:
    assert REPLICA_STACK in variant_synth.templates
    assert [v for v in variant_synth.violations if v["path"].startswith(f"{REPLICA_STACK}/")] == []


def test_outputs_and_description_name_the_replica_and_the_role(replicated: Template) -> None:
    template = replicated.to_json()
    assert f", replicated to {REPLICA_BUCKET};" in template["Description"]
    outputs = {name: output["Value"] for name, output in template["Outputs"].items()}
    assert outputs["LogReplicaBucketArn"] == REPLICA_BUCKET
    assert outputs["LogReplicaRoleArn"] == {"Fn::GetAtt": [REPLICATION_ROLE_ID, "Arn"]}


def test_replication_in_the_same_account_keeps_ownership_and_grants_no_override() -> None:
    """Without log_replica_account: no Destination.Account, no owner override (template only, no rule packs).

    With Object Lock on the log bucket, the role also reads each version's retention and legal hold.
    """
    config = config_for(
        regions=["eu-west-1"],
        endpoint_scope="eu",
        models=["claude-sonnet-4-6"],
        log_replica_bucket_arn=REPLICA_BUCKET,
        log_replica_kms_key_arn=REPLICA_KEY.replace(REPLICA_ACCOUNT, "111122223333"),
        log_object_lock="compliance",
    )
    app = cdk.App(context=FEATURE_FLAGS)
    template = Template.from_stack(InvocationLoggingStack(app, "Same", config=config, region="eu-west-1"))
    rules = _resource(template, BUCKET_ID)["Properties"]["ReplicationConfiguration"]["Rules"]
    for rule in rules:
        assert set(rule["Destination"]) == {"Bucket", "EncryptionConfiguration"}
    (replicate,) = [s for s in _replication_statements(template) if s["Sid"] == "ReplicateLogObjectsToTheReplicaBucket"]
    assert replicate["Action"] == ["s3:ReplicateObject", "s3:ReplicateTags"]
    (read,) = [s for s in _replication_statements(template) if s["Sid"] == "ReadLogObjectVersionsForReplication"]
    assert read["Action"] == [
        "s3:GetObjectLegalHold",
        "s3:GetObjectRetention",
        "s3:GetObjectVersionAcl",
        "s3:GetObjectVersionForReplication",
        "s3:GetObjectVersionTagging",
    ]


REPLICA = {"log_replica_bucket_arn": REPLICA_BUCKET, "log_replica_kms_key_arn": REPLICA_KEY}
EU = {"regions": ["eu-west-1"], "endpoint_scope": "eu", "models": ["claude-sonnet-4-6"]}


@pytest.mark.parametrize(
    ("context", "message"),
    [
        (
            {**REPLICA, "log_replica_kms_key_arn": REPLICA_KEY.replace("eu-central-1", "us-east-1"), **EU},
            f"log_replica_kms_key_arn: '{REPLICA_KEY.replace('eu-central-1', 'us-east-1')}' is not valid; allowed: "
            "a key (and bucket) in a Region of the 'eu' geography",
        ),
        (
            {**REPLICA, "log_replica_bucket_arn": "arn:aws-cn:s3:::example-bedrock-log-archive"},
            "log_replica_bucket_arn: 'arn:aws-cn:s3:::example-bedrock-log-archive' is not valid; allowed: a bucket "
            "ARN in the partition of regions (aws)",
        ),
        (
            {**REPLICA, "log_replica_account": "999988887777"},
            f"log_replica_kms_key_arn: '{REPLICA_KEY}' is not valid; allowed: a key of the replica account 9999",
        ),
        (
            {**REPLICA, "log_replica_account": REPLICA_ACCOUNT, "account": REPLICA_ACCOUNT},
            f"log_replica_account: '{REPLICA_ACCOUNT}' is not valid; allowed: an account other than `account`",
        ),
        (
            {"log_replica_account": REPLICA_ACCOUNT},
            f"log_replica_account: '{REPLICA_ACCOUNT}' is not valid; allowed: unset when log_replica_bucket_arn",
        ),
    ],
)
def test_replication_settings_that_do_not_fit_together_are_refused(context: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        config_for(**context)
    assert str(error.value).startswith(message), str(error.value)
    assert "\n" not in str(error.value)


def test_replication_settings_are_parsed() -> None:
    config = config_for(**REPLICA, **EU, log_replica_account=REPLICA_ACCOUNT)
    assert (config.log_replica_bucket_arn, config.log_replica_kms_key_arn) == (REPLICA_BUCKET, REPLICA_KEY)
    assert (config.log_replica_account, config.log_replica_region) == (REPLICA_ACCOUNT, "eu-central-1")
    off = config_for()
    assert (off.log_replica_bucket_arn, off.log_replica_kms_key_arn, off.log_replica_account) == (None, None, None)
