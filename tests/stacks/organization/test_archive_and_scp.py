"""The central archive's policies and the organization's SCPs, evaluated by principalmapper.

Archive: a member's replication role, holding the policy the member template gives it (resolved for a member
account), may replicate both log prefixes into the archive and encrypt with its key, whatever the account, as long
as it belongs to the organization; a role outside the organization, or one of the organization without the
replication path, may not; nobody may replicate a delete. `python app.py archive-policy` prints these policies.

SCPs: with the rollout configured, `python app.py scp` lets the role service-managed StackSets deploys with in a
member account (`stacksets-exec-<hash>`) create the project's roles there; without it, it does not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from compliance.policies import print_scp
from core.config import LogReplica
from core.organization.rollout import MEMBER_STACK_NAME, archive_policies
from tests.support import logical_ids as ids
from tests.support.cfn_values import CfnValues
from tests.support.iam_evaluator import Principal, allowed
from tests.support.project import (
    ARCHIVE_ACCOUNT,
    ARCHIVE_BUCKET_ARN,
    ARCHIVE_KEY_ARN,
    ORGANIZATION_CONTEXT,
    ROOT,
    config_for,
)
from tests.support.synth import Synth

ORGANIZATION_ID = ORGANIZATION_CONTEXT["organization_id"]
MEMBER, JOINED_LATER, STRANGER = "210987654321", "345678901234", "999988887777"
ARCHIVE = LogReplica(ARCHIVE_BUCKET_ARN, ARCHIVE_KEY_ARN, ARCHIVE_ACCOUNT)
LOG_OBJECT = f"{ARCHIVE_BUCKET_ARN}/invocation-logs/AWSLogs/{MEMBER}/BedrockModelInvocationLogs/us-east-1/x.json.gz"
LARGE_PAYLOAD = f"{ARCHIVE_BUCKET_ARN}/large-payloads/AWSLogs/{MEMBER}/BedrockModelInvocationLogs/x.json"
IN_ORGANIZATION = {"aws:PrincipalOrgID": ORGANIZATION_ID}
THROUGH_S3 = {
    "kms:ViaService": "s3.eu-central-1.amazonaws.com",
    "kms:EncryptionContext:aws:s3:arn": LOG_OBJECT,
}


def replication_role(synth: Synth, account: str) -> Principal:
    """The member template's replication role in `account`, with its path and the policy the template gives it."""
    template = synth.templates[MEMBER_STACK_NAME]
    values = CfnValues(template, region="us-east-1", account=account, stack_name="StackSet-member")
    role = template["Resources"][ids.REPLICATION_ROLE]["Properties"]
    (policy,) = [
        r for r in template["Resources"].values() if {"Ref": ids.REPLICATION_ROLE} in r["Properties"].get("Roles", [])
    ]
    document = values.resolve(policy["Properties"]["PolicyDocument"])
    arn = f"arn:aws:iam::{account}:role{role['Path']}StackSet-member-LogReplicationRole-1A2B3C"
    return Principal(arn, [document])


@pytest.fixture(scope="module")
def policies() -> dict[str, Any]:
    return archive_policies(ARCHIVE, organization_id=ORGANIZATION_ID)


def replicate(
    principal: Principal, action: str, resource: str, context: dict[str, str], policy: dict[str, Any]
) -> bool:
    return allowed(principal, action, resource, context, resource_policy=policy, resource_owner=ARCHIVE_ACCOUNT)


def test_a_member_replication_role_may_replicate_both_prefixes_into_the_archive(
    organization_synth: Synth, policies: dict[str, Any]
) -> None:
    for account in (MEMBER, JOINED_LATER):  # an account that joins later needs no policy change
        role = replication_role(organization_synth, account)
        for resource in (LOG_OBJECT, LARGE_PAYLOAD):
            for action in ("s3:ReplicateObject", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"):
                assert replicate(role, action, resource, IN_ORGANIZATION, policies["BucketPolicy"]), (account, action)


def test_a_role_outside_the_organization_may_not_even_with_the_same_path_and_policy(
    organization_synth: Synth, policies: dict[str, Any]
) -> None:
    outsider = replication_role(organization_synth, STRANGER)
    other_organization = {"aws:PrincipalOrgID": "o-zzzzzzzzzz"}
    assert not replicate(outsider, "s3:ReplicateObject", LOG_OBJECT, other_organization, policies["BucketPolicy"])
    assert not replicate(outsider, "s3:ReplicateObject", LOG_OBJECT, {}, policies["BucketPolicy"])


def test_only_replication_roles_of_the_organization_and_no_deletes_or_other_keys(
    organization_synth: Synth, policies: dict[str, Any]
) -> None:
    member = replication_role(organization_synth, MEMBER)
    other_role = Principal(f"arn:aws:iam::{MEMBER}:role/Administrator", member.policies)
    assert not replicate(other_role, "s3:ReplicateObject", LOG_OBJECT, IN_ORGANIZATION, policies["BucketPolicy"])
    assert not replicate(member, "s3:ReplicateDelete", LOG_OBJECT, IN_ORGANIZATION, policies["BucketPolicy"])
    outside_prefixes = f"{ARCHIVE_BUCKET_ARN}/other-data/x"
    assert not replicate(member, "s3:ReplicateObject", outside_prefixes, IN_ORGANIZATION, policies["BucketPolicy"])


def test_member_replication_roles_may_encrypt_with_the_archive_key_through_s3_only(
    organization_synth: Synth, policies: dict[str, Any]
) -> None:
    member = replication_role(organization_synth, MEMBER)
    key = policies["KeyPolicy"]
    for action in ("kms:Encrypt", "kms:GenerateDataKey"):
        assert replicate(member, action, ARCHIVE_KEY_ARN, {**IN_ORGANIZATION, **THROUGH_S3}, key)
        assert not replicate(member, action, ARCHIVE_KEY_ARN, IN_ORGANIZATION, key)  # not through S3
        outsider = replication_role(organization_synth, STRANGER)
        assert not replicate(
            outsider, action, ARCHIVE_KEY_ARN, {"aws:PrincipalOrgID": "o-zzzzzzzzzz", **THROUGH_S3}, key
        )
    assert not replicate(member, "kms:Decrypt", ARCHIVE_KEY_ARN, {**IN_ORGANIZATION, **THROUGH_S3}, key)


def _archive_policy_command(**context: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CDK_CONTEXT_JSON": json.dumps(context)}
    return subprocess.run(
        [sys.executable, "app.py", "archive-policy"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_archive_policy_command_prints_both_policies_as_json(policies: dict[str, Any]) -> None:
    archive = {
        k: v for k, v in ORGANIZATION_CONTEXT.items() if k.startswith("organization_a") or k == "organization_id"
    }
    result = _archive_policy_command(**archive)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == policies


def test_the_archive_policy_command_names_the_missing_key() -> None:
    unset = _archive_policy_command()
    assert unset.returncode == 2
    assert unset.stderr.startswith("Configuration error: organization_archive_bucket_arn: unset;")
    archive = {k: v for k, v in ORGANIZATION_CONTEXT.items() if k.startswith("organization_archive")}
    no_organization = _archive_policy_command(**archive)
    assert no_organization.returncode == 2
    assert no_organization.stderr.startswith("Configuration error: organization_id: unset;")


EVERYTHING = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
STACKSETS = Principal(f"arn:aws:iam::{MEMBER}:role/stacksets-exec-0123456789abcdef0123456789abcdef", [EVERYTHING])
PROVIDER_ROLE = f"arn:aws:iam::{MEMBER}:role/claude-on-bedrock/StackSet-member-ConfigurationProviderRole-1A2B"


def printed(capsys: pytest.CaptureFixture[str], **context: Any) -> list[dict[str, Any]]:
    assert print_scp(config_for(**context)) == 0
    out = json.loads(capsys.readouterr().out)
    return out if isinstance(out, list) else [out]


def test_with_the_rollout_the_scps_let_stacksets_create_the_projects_roles_in_members(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with_rollout = printed(capsys, organization_targets=["ou-ab12-cd34ef56"])
    without = printed(capsys)
    for action in ("iam:CreateRole", "iam:AttachRolePolicy", "iam:PassRole", "iam:DeleteRole"):
        assert allowed(STACKSETS, action, PROVIDER_ROLE, scps=with_rollout), action
        assert not allowed(STACKSETS, action, PROVIDER_ROLE, scps=without), action
    # It gains nothing else: an administrator is still refused, and nobody else is exempted.
    admin = Principal(f"arn:aws:iam::{MEMBER}:role/Administrator", [EVERYTHING])
    assert not allowed(admin, "iam:CreateRole", PROVIDER_ROLE, scps=with_rollout)
    assert not allowed(admin, "bedrock:DeleteModelInvocationLoggingConfiguration", "*", scps=with_rollout)
