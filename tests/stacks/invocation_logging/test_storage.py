"""Where the invocation logs are kept: the KMS key, the log bucket, its access-log bucket and the log group.

Encryption, retention, tamper resistance, who may write, and what deleting the stack does to them.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Template

from tests.support.logical_ids import (
    ACCESS_LOG_BUCKET,
    LOG_AUDIT_LOG_GROUP,
    LOG_BUCKET,
    LOG_GROUP,
    LOG_KEY,
    PROVIDER_LOG_GROUP,
)
from tests.support.synth import Synth
from tests.support.templates import (
    ACCOUNT,
    acknowledged_rules,
    bedrock_source_conditions,
    bucket_policy,
    merged,
    resource,
    statement,
)

STACK_UUID = {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}
BEDROCK_CONDITIONS = bedrock_source_conditions("us-east-1")
STORAGE = (LOG_KEY, LOG_BUCKET, ACCESS_LOG_BUCKET, LOG_GROUP)
REGULATORY_PACKS = ("HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321")


@pytest.fixture(scope="module")
def logging_stack(default_synth: Synth) -> Template:
    return default_synth.template("ClaudeInvocationLogging-")


@pytest.fixture(scope="module")
def options(logging_options_synth: Synth) -> Template:
    return logging_options_synth.template("ClaudeInvocationLogging-")


# Lifetimes


def test_storage_is_retained_by_default(logging_stack: Template) -> None:
    for logical_id in STORAGE:
        found = resource(logging_stack, logical_id)
        assert (found["DeletionPolicy"], found["UpdateReplacePolicy"]) == ("Retain", "Retain"), logical_id


def test_destroy_policy_is_honoured(options: Template) -> None:
    for logical_id in STORAGE:
        assert resource(options, logical_id)["DeletionPolicy"] == "Delete", logical_id


# KMS key


def test_key_is_customer_managed_with_rotation(logging_stack: Template) -> None:
    assert resource(logging_stack, LOG_KEY)["Properties"]["EnableKeyRotation"] is True


def test_key_policy_lets_bedrock_write_only_for_this_account_and_region(logging_stack: Template) -> None:
    policy = resource(logging_stack, LOG_KEY)["Properties"]["KeyPolicy"]
    assert statement(policy, "AllowBedrockToWriteInvocationLogsOfThisAccountAndRegion") == {
        "Sid": "AllowBedrockToWriteInvocationLogsOfThisAccountAndRegion",
        "Effect": "Allow",
        "Principal": {"Service": "bedrock.amazonaws.com"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": "*",
        "Condition": BEDROCK_CONDITIONS,
    }


def test_key_policy_lets_cloudwatch_logs_encrypt_only_the_invocation_log_groups(logging_stack: Template) -> None:
    policy = resource(logging_stack, LOG_KEY)["Properties"]["KeyPolicy"]
    found = statement(policy, "AllowCloudWatchLogsForTheInvocationLogGroupsOnly")
    assert found["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert found["Action"] == [
        "kms:Decrypt*",
        "kms:Describe*",
        "kms:Encrypt*",
        "kms:GenerateDataKey*",
        "kms:ReEncrypt*",
    ]
    assert list(found["Condition"]) == ["ArnLike"]
    arns = found["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
    # Exactly the ARNs of the three log groups of this stack (logs, provider, continuous audit), built from the same
    # names the groups are given.
    for arn, group_id in zip(arns, (LOG_GROUP, PROVIDER_LOG_GROUP, LOG_AUDIT_LOG_GROUP), strict=True):
        name = resource(logging_stack, group_id)["Properties"]["LogGroupName"]["Fn::Join"][1]
        assert merged(arn["Fn::Join"][1]) == merged(["arn:aws:logs:us-east-1:", ACCOUNT, ":log-group:", *name])


def test_key_policy_grants_no_other_service(logging_stack: Template) -> None:
    policy = resource(logging_stack, LOG_KEY)["Properties"]["KeyPolicy"]
    assert [s["Principal"] for s in policy["Statement"]] == [
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
                                "KMSMasterKeyID": {"Fn::GetAtt": [LOG_KEY, "Arn"]},
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
                    "DestinationBucketName": {"Ref": ACCESS_LOG_BUCKET},
                    "LogFilePrefix": "invocation-log-bucket/",
                },
            }
        },
    )
    assert list(matching) == [LOG_BUCKET]


def test_log_bucket_is_under_governance_object_lock_for_its_retention_by_default(logging_stack: Template) -> None:
    """Enabled in place on a deployed bucket: ObjectLockEnabled is not create-only in the AWS::S3::Bucket schema
    (only BucketName, BucketNamePrefix and BucketNamespace are), so the bucket's logical ID and the bucket stay."""
    properties = resource(logging_stack, LOG_BUCKET)["Properties"]
    assert properties["ObjectLockEnabled"] is True
    assert properties["ObjectLockConfiguration"] == {
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 30}},
    }
    assert "ObjectLockEnabled" not in resource(logging_stack, ACCESS_LOG_BUCKET)["Properties"]


def test_object_lock_can_be_turned_off(every_option_synth: Synth) -> None:
    properties = resource(every_option_synth.template("ClaudeInvocationLogging-"), LOG_BUCKET)["Properties"]
    assert "ObjectLockEnabled" not in properties and "ObjectLockConfiguration" not in properties


@pytest.mark.parametrize("bucket_id", [LOG_BUCKET, ACCESS_LOG_BUCKET])
def test_the_log_buckets_take_their_tags_into_access_decisions(logging_stack: Template, bucket_id: str) -> None:
    """ABAC on: the organization's tag-based SCP and RCP statements then apply to them
    (core/organization/project_resources.py)."""
    assert resource(logging_stack, bucket_id)["Properties"]["AbacStatus"] == "Enabled"


def test_object_lock_and_longer_retention_when_asked(options: Template) -> None:
    assert resource(options, LOG_GROUP)["Properties"]["RetentionInDays"] == 90
    bucket = resource(options, LOG_BUCKET)["Properties"]
    assert bucket["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] == 90
    assert bucket["ObjectLockEnabled"] is True
    assert bucket["ObjectLockConfiguration"] == {
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 60}},
    }


@pytest.mark.parametrize("bucket_id", [LOG_BUCKET, ACCESS_LOG_BUCKET])
def test_lifecycle_expires_after_retention(logging_stack: Template, bucket_id: str) -> None:
    rules = resource(logging_stack, bucket_id)["Properties"]["LifecycleConfiguration"]["Rules"]
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
    properties = resource(logging_stack, ACCESS_LOG_BUCKET)["Properties"]
    assert properties["BucketEncryption"] == {
        "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
    }
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    assert all(properties["PublicAccessBlockConfiguration"].values())
    assert "LoggingConfiguration" not in properties


@pytest.mark.parametrize("bucket_id", [LOG_BUCKET, ACCESS_LOG_BUCKET])
def test_buckets_refuse_plain_http_and_old_tls(logging_stack: Template, bucket_id: str) -> None:
    everything = [
        {"Fn::GetAtt": [bucket_id, "Arn"]},
        {"Fn::Join": ["", [{"Fn::GetAtt": [bucket_id, "Arn"]}, "/*"]]},
    ]
    statements = bucket_policy(logging_stack, bucket_id)["Statement"]
    denies = [s for s in statements if s["Effect"] == "Deny" and s["Action"] == "s3:*"]
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
    allows = [s for s in bucket_policy(logging_stack, LOG_BUCKET)["Statement"] if s["Effect"] == "Allow"]

    def path(prefix: str) -> dict[str, Any]:
        return {
            "Fn::Join": [
                "",
                [{"Fn::GetAtt": [LOG_BUCKET, "Arn"]}, f"/{prefix}/AWSLogs/", ACCOUNT, "/BedrockModelInvocationLogs/*"],
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
    allows = [s for s in bucket_policy(logging_stack, ACCESS_LOG_BUCKET)["Statement"] if s["Effect"] == "Allow"]
    assert allows == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "logging.s3.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": [ACCESS_LOG_BUCKET, "Arn"]}, "/invocation-log-bucket/*"]]},
            "Condition": {
                "ArnLike": {"aws:SourceArn": {"Fn::GetAtt": [LOG_BUCKET, "Arn"]}},
                "StringEquals": {"aws:SourceAccount": ACCOUNT},
            },
        }
    ]


def test_single_copy_is_acknowledged_with_the_data_residency_reason(logging_stack: Template) -> None:
    expected = [f"{pack}-S3BucketReplicationEnabled" for pack in REGULATORY_PACKS]
    for bucket_id in (LOG_BUCKET, ACCESS_LOG_BUCKET):
        assert [r for r in acknowledged_rules(logging_stack, bucket_id) if "Replication" in r] == expected
    # The access-log bucket also explains why it is SSE-S3, not SSE-KMS.
    assert [r for r in acknowledged_rules(logging_stack, ACCESS_LOG_BUCKET) if "Encryption" in r] == [
        f"{pack}-S3DefaultEncryptionKMS" for pack in REGULATORY_PACKS
    ]


# CloudWatch Logs


def test_log_group_retention_encryption_and_name(logging_stack: Template) -> None:
    properties = resource(logging_stack, LOG_GROUP)["Properties"]
    assert properties["RetentionInDays"] == 30
    assert properties["KmsKeyId"] == {"Fn::GetAtt": [LOG_KEY, "Arn"]}
    assert properties["LogGroupName"] == {
        "Fn::Join": ["", ["/aws/bedrock/model-invocations/ClaudeInvocationLogging-us-east-1/", STACK_UUID]]
    }


def test_key_and_log_group_need_no_acknowledgement(logging_stack: Template) -> None:
    for logical_id in (LOG_KEY, LOG_GROUP):
        assert acknowledged_rules(logging_stack, logical_id) == [], logical_id
