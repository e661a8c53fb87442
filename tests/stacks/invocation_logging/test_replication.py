"""Optional S3 replication of both log prefixes to a bucket the user owns, re-encrypted with its key.

The shared every-option synthesis replicates eu-west-1 to an archive account in eu-central-1; one stack built alone
replicates within the account, under Object Lock.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template

from stacks.deployment import invocation_logging_props
from stacks.invocation_logging.stack import InvocationLoggingStack
from tests.support.logical_ids import ACCESS_LOG_BUCKET, LOG_BUCKET, LOG_KEY, REPLICATION_ROLE
from tests.support.project import ARCHIVE_ACCOUNT, ARCHIVE_BUCKET_ARN, ARCHIVE_KEY_ARN, config_for
from tests.support.synth import Synth, synth_one_stack
from tests.support.templates import (
    ACCOUNT,
    acknowledged_rules,
    acknowledgements,
    only,
    policies_naming_role,
    resource,
    statement,
)

REPLICA_STACK = "ClaudeInvocationLogging-eu-west-1"
REPLICA_BUCKET, REPLICA_KEY, REPLICA_ACCOUNT = ARCHIVE_BUCKET_ARN, ARCHIVE_KEY_ARN, ARCHIVE_ACCOUNT
REGULATORY_PACKS = ("HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321")


@pytest.fixture(scope="module")
def replicated(every_option_synth: Synth) -> Template:
    replica = every_option_synth.config.logging.replica
    assert replica is not None and (replica.bucket_arn, replica.account) == (REPLICA_BUCKET, REPLICA_ACCOUNT)
    return every_option_synth.template(REPLICA_STACK)


@pytest.fixture(scope="module")
def same_account_synth() -> Synth:
    """A replica in this account (no log_replica_account), with Object Lock (compliance) on the log bucket."""
    config = config_for(
        regions=["eu-west-1"],
        endpoint_scope="eu",
        models=["claude-sonnet-4-6"],
        invoker_default_model="claude-sonnet-4-6",
        log_replica_bucket_arn=REPLICA_BUCKET,
        log_replica_kms_key_arn=REPLICA_KEY.replace(REPLICA_ACCOUNT, "111122223333"),
        log_object_lock="compliance",
    )
    return synth_one_stack(
        config,
        lambda app: InvocationLoggingStack(
            app,
            "Same",
            props=invocation_logging_props(config, "eu-west-1"),
            env=cdk.Environment(region="eu-west-1"),
        ),
    )


def bucket_arn_join(suffix: str) -> dict[str, Any]:
    return {"Fn::Join": ["", [{"Fn::GetAtt": [LOG_BUCKET, "Arn"]}, suffix]]}


def replication_rule(priority: int, prefix: str) -> dict[str, Any]:
    return {
        "Id": f"Replicate-{prefix}",
        "Priority": priority,
        "Status": "Enabled",
        "Filter": {"Prefix": f"{prefix}/"},
        "Destination": {
            "Bucket": REPLICA_BUCKET,
            "EncryptionConfiguration": {"ReplicaKmsKeyID": REPLICA_KEY},
            "Account": REPLICA_ACCOUNT,
            "AccessControlTranslation": {"Owner": "Destination"},
        },
        "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
        "DeleteMarkerReplication": {"Status": "Disabled"},
    }


def replication_policy(template: Template) -> tuple[str, list[dict[str, Any]]]:
    """The one managed policy naming the replication role: its logical ID and statements."""
    role = resource(template, REPLICATION_ROLE)["Properties"]
    assert "Policies" not in role and "ManagedPolicyArns" not in role
    ((policy_id, policy),) = policies_naming_role(template, "AWS::IAM::ManagedPolicy", REPLICATION_ROLE).items()
    return policy_id, policy["Properties"]["PolicyDocument"]["Statement"]


def test_no_replication_by_default(default_synth: Synth) -> None:
    logging_stack = default_synth.template("ClaudeInvocationLogging-")
    assert "ReplicationConfiguration" not in resource(logging_stack, LOG_BUCKET)["Properties"]
    s3_trusted = logging_stack.find_resources(
        "AWS::IAM::Role",
        {
            "Properties": {
                "AssumeRolePolicyDocument": Match.object_like(
                    {"Statement": [Match.object_like({"Principal": {"Service": "s3.amazonaws.com"}})]}
                )
            }
        },
    )
    assert s3_trusted == {}


def test_log_bucket_replicates_both_prefixes_to_the_replica_with_its_key(replicated: Template) -> None:
    properties = resource(replicated, LOG_BUCKET)["Properties"]
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    assert properties["ReplicationConfiguration"] == {
        "Role": {"Fn::GetAtt": [REPLICATION_ROLE, "Arn"]},
        "Rules": [replication_rule(1, "invocation-logs"), replication_rule(2, "large-payloads")],
    }


def test_replication_role_is_assumable_only_by_s3_for_this_account(replicated: Template) -> None:
    role = resource(replicated, REPLICATION_ROLE)["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "s3.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
        }
    ]
    # The role holds one customer-managed policy and no inline one (HIPAA/NIST/PCI IAMNoInlinePolicy).
    assert policies_naming_role(replicated, "AWS::IAM::Policy", REPLICATION_ROLE) == {}


def test_replication_role_may_do_exactly_what_replication_needs(replicated: Template) -> None:
    source_objects = [bucket_arn_join("/invocation-logs/*"), bucket_arn_join("/large-payloads/*")]
    replica_objects = [f"{REPLICA_BUCKET}/invocation-logs/*", f"{REPLICA_BUCKET}/large-payloads/*"]
    _, statements = replication_policy(replicated)
    assert statements == [
        {
            "Sid": "ReadReplicationConfigurationOfTheLogBucket",
            "Effect": "Allow",
            "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
            "Resource": {"Fn::GetAtt": [LOG_BUCKET, "Arn"]},
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
            "Resource": {"Fn::GetAtt": [LOG_KEY, "Arn"]},
            "Condition": {
                "StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"},
                "StringLike": {
                    "kms:EncryptionContext:aws:s3:arn": [{"Fn::GetAtt": [LOG_BUCKET, "Arn"]}, *source_objects]
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
    policy_id, _ = replication_policy(replicated)
    assert policy_id in only(replicated, "Custom::BedrockModelInvocationLogging")["DependsOn"]


def test_key_policy_lets_the_replication_role_decrypt_through_s3_only(replicated: Template) -> None:
    policy = resource(replicated, LOG_KEY)["Properties"]["KeyPolicy"]
    assert statement(policy, "AllowLogReplicationToDecryptThroughS3") == {
        "Sid": "AllowLogReplicationToDecryptThroughS3",
        "Effect": "Allow",
        "Principal": {"AWS": {"Fn::GetAtt": [REPLICATION_ROLE, "Arn"]}},
        "Action": "kms:Decrypt",
        "Resource": "*",
        "Condition": {"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}},
    }


def test_replication_acknowledgement_only_when_replication_is_off(default_synth: Synth, replicated: Template) -> None:
    logging_stack = default_synth.template("ClaudeInvocationLogging-")
    expected = [f"{pack}-S3BucketReplicationEnabled" for pack in REGULATORY_PACKS]
    assert [r for r in acknowledged_rules(logging_stack, LOG_BUCKET) if "Replication" in r] == expected
    assert [r for r in acknowledged_rules(replicated, LOG_BUCKET) if "Replication" in r] == []
    assert "Metadata" not in resource(replicated, LOG_BUCKET)
    # The access-log bucket is never replicated: acknowledged in both cases, with a reason of its own once the
    # invocation logs are replicated (the data-residency reason no longer holds then).
    for template in (logging_stack, replicated):
        assert [r for r in acknowledged_rules(template, ACCESS_LOG_BUCKET) if "Replication" in r] == expected
    (default_reason,) = {r["reason"] for r in acknowledgements(logging_stack, ACCESS_LOG_BUCKET) if r["id"] in expected}
    assert default_reason.startswith("Invocation logs must stay in the Region they were recorded in")
    (own_reason,) = {r["reason"] for r in acknowledgements(replicated, ACCESS_LOG_BUCKET) if r["id"] in expected}
    assert own_reason.startswith("This bucket holds S3 server access logs of the invocation-log bucket")
    assert "replicated (log_replica_bucket_arn)" in own_reason


def test_replication_policy_acknowledges_only_its_prefixes(replicated: Template) -> None:
    policy_id, _ = replication_policy(replicated)
    assert acknowledged_rules(replicated, policy_id) == [
        f"AwsSolutions-IAM5[Resource::<{LOG_BUCKET}.Arn>/invocation-logs/*]",
        f"AwsSolutions-IAM5[Resource::{REPLICA_BUCKET}/invocation-logs/*]",
        f"AwsSolutions-IAM5[Resource::<{LOG_BUCKET}.Arn>/large-payloads/*]",
        f"AwsSolutions-IAM5[Resource::{REPLICA_BUCKET}/large-payloads/*]",
    ]


def test_no_unacknowledged_rule_pack_finding_with_replication(
    every_option_synth: Synth, same_account_synth: Synth
) -> None:
    assert REPLICA_STACK in every_option_synth.templates
    assert [v for v in every_option_synth.violations if v["path"].startswith(f"{REPLICA_STACK}/")] == []
    assert same_account_synth.violations == []


def test_replication_in_the_same_account_keeps_ownership_and_grants_no_override(same_account_synth: Synth) -> None:
    """Without log_replica_account: no Destination.Account, no owner override.

    With Object Lock on the log bucket, the role also reads each version's retention and legal hold.
    """
    template = same_account_synth.template("Same")
    for rule in resource(template, LOG_BUCKET)["Properties"]["ReplicationConfiguration"]["Rules"]:
        assert set(rule["Destination"]) == {"Bucket", "EncryptionConfiguration"}
    _, statements = replication_policy(template)
    assert statement({"Statement": statements}, "ReplicateLogObjectsToTheReplicaBucket")["Action"] == [
        "s3:ReplicateObject",
        "s3:ReplicateTags",
    ]
    assert statement({"Statement": statements}, "ReadLogObjectVersionsForReplication")["Action"] == [
        "s3:GetObjectLegalHold",
        "s3:GetObjectRetention",
        "s3:GetObjectVersionAcl",
        "s3:GetObjectVersionForReplication",
        "s3:GetObjectVersionTagging",
    ]
