"""The live-account audit, against a moto account built the way the invocation-logging stack deploys it.

Every drift the audit is meant to catch is applied to a compliant account, and the test asserts that exactly
the row concerned fails; a compliant account must pass every row. Nothing reaches AWS: moto intercepts every
call and the credentials are fake.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from moto import mock_aws

from compliance.audit import Check, lifecycle_finding, main, run_audit, trusted_principals
from stacks.config import AppConfig, load_config

REGION = "us-east-1"
OTHER_REGION = "us-west-2"
ACCOUNT = "123456789012"  # moto's account
TODAY = date(2026, 11, 25)
POLICY_FILE = Path(__file__).resolve().parents[2] / "compliance" / "audit_policy.json"

# Every row of a compliant Region, in order: the shape of the table is part of the contract.
COMPLIANT_ROWS = [
    "bedrock.logging.configured",
    "bedrock.logging.s3",
    "bedrock.logging.cloudwatch",
    "bedrock.logging.large_data",
    "bedrock.logging.data.text",
    "bedrock.logging.data.image",
    "bedrock.logging.data.embedding",
    "bedrock.logging.data.video",
    "bedrock.logging.data.audio",
    "logs.group.retention",
    "logs.group.encryption",
    "iam.role.trust",
    "s3.bucket.versioning",
    "s3.bucket.lifecycle",
    "s3.bucket.encryption",
    "s3.bucket.public_access_block",
    "s3.bucket.policy_public",
]

# API operation the audit calls -> IAM action that authorizes it (Service Authorization Reference).
IAM_ACTION_OF = {
    "bedrock.GetModelInvocationLoggingConfiguration": "bedrock:GetModelInvocationLoggingConfiguration",
    "logs.DescribeLogGroups": "logs:DescribeLogGroups",
    "iam.GetRole": "iam:GetRole",
    "s3.GetBucketVersioning": "s3:GetBucketVersioning",
    "s3.GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration",
    "s3.GetBucketEncryption": "s3:GetEncryptionConfiguration",
    "s3.GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "s3.GetBucketPolicyStatus": "s3:GetBucketPolicyStatus",
    "sts.GetCallerIdentity": None,  # needs no permission
}


class CachingSession:
    """The module's boto3 session, with clients cached for one test: creating clients is the slow part."""

    def __init__(self, session: boto3.Session) -> None:
        self.session = session
        self.clients: dict[tuple[str, str], Any] = {}
        self.registered: list[tuple[str, str]] = []

    def client(self, service: str, region_name: str = REGION, **_: Any) -> Any:
        key = (service, region_name)
        if key not in self.clients:
            self.clients[key] = self.session.client(service, region_name=region_name)
        return self.clients[key]

    def register(self, event: str, handler: Callable[..., Any]) -> None:
        """A botocore event handler for this test: on the clients made so far and on those made later."""
        unique_id = f"test-audit-{len(self.registered)}"
        for client in self.clients.values():
            client.meta.events.register(event, handler, unique_id=unique_id)
        self.session.events.register(event, handler, unique_id=unique_id)
        self.registered.append((event, unique_id))

    def close(self) -> None:
        for event, unique_id in self.registered:
            self.session.events.unregister(event, unique_id=unique_id)


@dataclass
class Account:
    """A compliant deployment in moto: what the invocation-logging stack creates in one Region."""

    session: CachingSession
    bucket: str
    log_group: str
    role_arn: str
    key_arn: str
    logging_config: dict[str, Any]

    def client(self, service: str, region: str = REGION) -> Any:
        return self.session.client(service, region)


def make_config(**context: Any) -> AppConfig:
    return load_config(
        {"regions": [REGION], "log_retention_days": 30, "log_data": ["text", "image"], **context}, today=TODAY
    )


def lifecycle_rules(days: int) -> list[dict[str, Any]]:
    """The two rules the stack deploys (ExpireAfterRetention, RemoveExpiredDeleteMarkers)."""
    return [
        {
            "ID": "ExpireAfterRetention",
            "Filter": {"Prefix": ""},
            "Status": "Enabled",
            "Expiration": {"Days": days},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 7},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
        },
        {
            "ID": "RemoveExpiredDeleteMarkers",
            "Filter": {"Prefix": ""},
            "Status": "Enabled",
            "Expiration": {"ExpiredObjectDeleteMarker": True},
        },
    ]


def trust_policy(*principals: dict[str, Any]) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": principal,
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
                }
                for principal in principals
            ],
        }
    )


@pytest.fixture(scope="module")
def shared_session() -> Iterator[boto3.Session]:
    """Fake credentials, no profile, and one session for the module (service models load once: fast)."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_SECURITY_TOKEN": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        }.items():
            patch.setenv(name, value)
        patch.delenv("AWS_PROFILE", raising=False)
        yield boto3.Session(region_name=REGION)


@pytest.fixture
def account(shared_session: boto3.Session) -> Iterator[Account]:
    session = CachingSession(shared_session)
    with mock_aws():
        key_arn = session.client("kms").create_key(Description="invocation logs")["KeyMetadata"]["Arn"]

        s3 = session.client("s3")
        bucket = "claude-invocation-logs-bucket"
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_encryption(
            Bucket=bucket,
            ServerSideEncryptionConfiguration={
                "Rules": [
                    {
                        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn},
                        "BucketKeyEnabled": True,
                    }
                ]
            },
        )
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        s3.put_public_access_block(
            Bucket=bucket,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
        s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": lifecycle_rules(30)})
        s3.put_bucket_policy(
            Bucket=bucket,
            Policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "DenyInsecureTransport",
                            "Effect": "Deny",
                            "Principal": {"AWS": "*"},
                            "Action": "s3:*",
                            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        },
                        {
                            "Sid": "AllowBedrockToWriteInvocationLogsOfThisAccountAndRegion",
                            "Effect": "Allow",
                            "Principal": {"Service": "bedrock.amazonaws.com"},
                            "Action": "s3:PutObject",
                            "Resource": f"arn:aws:s3:::{bucket}/invocation-logs/AWSLogs/{ACCOUNT}/*",
                            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
                        },
                    ],
                }
            ),
        )

        logs = session.client("logs")
        log_group = "/aws/bedrock/model-invocations/ClaudeInvocationLogging-us-east-1/0b1c2d3e"
        logs.create_log_group(logGroupName=log_group, kmsKeyId=key_arn)
        logs.put_retention_policy(logGroupName=log_group, retentionInDays=30)

        role_arn = session.client("iam").create_role(
            RoleName="ClaudeInvocationLogging-LoggingDeliveryRole-ABC123",
            AssumeRolePolicyDocument=trust_policy({"Service": "bedrock.amazonaws.com"}),
        )["Role"]["Arn"]

        logging_config = {
            "s3Config": {"bucketName": bucket, "keyPrefix": "invocation-logs"},
            "cloudWatchConfig": {
                "logGroupName": log_group,
                "roleArn": role_arn,
                "largeDataDeliveryS3Config": {"bucketName": bucket, "keyPrefix": "large-payloads"},
            },
            "textDataDeliveryEnabled": True,
            "imageDataDeliveryEnabled": True,
            "embeddingDataDeliveryEnabled": False,
            "videoDataDeliveryEnabled": False,
            "audioDataDeliveryEnabled": False,
        }
        session.client("bedrock").put_model_invocation_logging_configuration(loggingConfig=logging_config)
        yield Account(session, bucket, log_group, role_arn, key_arn, logging_config)
    session.close()


def audit(account: Account, config: AppConfig | None = None) -> tuple[int, list[Check], str]:
    config = config or make_config()
    out = io.StringIO()
    code = main(config, account.session, out)
    return code, run_audit(config, account.session), out.getvalue()


def failing(checks: list[Check]) -> dict[str, Check]:
    return {check.name: check for check in checks if not check.passed}


# --- A compliant account -------------------------------------------------------------------------------------


def test_compliant_account_passes_every_check(account: Account) -> None:
    code, checks, output = audit(account)

    assert code == 0
    assert [check.name for check in checks] == COMPLIANT_ROWS
    assert failing(checks) == {}
    assert output.splitlines()[0].split() == ["CHECK", "REGION", "RESOURCE", "EXPECTED", "ACTUAL", "RESULT"]
    assert output.count(" PASS") == len(COMPLIANT_ROWS)
    assert "FAIL" not in output
    assert f"{len(COMPLIANT_ROWS)} checks, 0 failed: no drift" in output


def test_rows_name_the_resources_they_read(account: Account) -> None:
    rows = {check.name: check for check in run_audit(make_config(), account.session)}
    assert rows["logs.group.retention"].resource == account.log_group
    assert rows["logs.group.encryption"].actual == account.key_arn
    assert rows["iam.role.trust"].resource == account.role_arn
    assert rows["s3.bucket.encryption"].actual == f"aws:kms with {account.key_arn}"
    assert rows["s3.bucket.lifecycle"].actual == (
        "current objects expire after 30 days under invocation-logs/, 30 days under large-payloads/"
    )


# --- Each kind of drift fails its own row, and only that row --------------------------------------------------


def delete_logging_configuration(account: Account) -> None:
    account.client("bedrock").delete_model_invocation_logging_configuration()


def lower_retention(account: Account) -> None:
    account.client("logs").put_retention_policy(logGroupName=account.log_group, retentionInDays=7)


def recreate_log_group_without_key(account: Account) -> None:
    logs = account.client("logs")
    logs.delete_log_group(logGroupName=account.log_group)
    logs.create_log_group(logGroupName=account.log_group)
    logs.put_retention_policy(logGroupName=account.log_group, retentionInDays=30)


def delete_log_group(account: Account) -> None:
    account.client("logs").delete_log_group(logGroupName=account.log_group)


def remove_lifecycle(account: Account) -> None:
    account.client("s3").delete_bucket_lifecycle(Bucket=account.bucket)


def expire_after_7_days(account: Account) -> None:
    account.client("s3").put_bucket_lifecycle_configuration(
        Bucket=account.bucket, LifecycleConfiguration={"Rules": lifecycle_rules(7)}
    )


def add_rule_expiring_invocation_logs_after_1_day(account: Account) -> None:
    rules = [*lifecycle_rules(30), {**lifecycle_rules(1)[0], "ID": "Cleanup", "Filter": {"Prefix": "invocation-logs/"}}]
    account.client("s3").put_bucket_lifecycle_configuration(
        Bucket=account.bucket, LifecycleConfiguration={"Rules": rules}
    )


def make_bucket_public(account: Account) -> None:
    s3 = account.client("s3")
    s3.delete_public_access_block(Bucket=account.bucket)
    s3.put_bucket_policy(
        Bucket=account.bucket,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{account.bucket}/*",
                    }
                ],
            }
        ),
    )


def delete_public_access_block(account: Account) -> None:
    account.client("s3").delete_public_access_block(Bucket=account.bucket)


def allow_public_policies(account: Account) -> None:
    account.client("s3").put_public_access_block(
        Bucket=account.bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False,
        },
    )


def suspend_versioning(account: Account) -> None:
    account.client("s3").put_bucket_versioning(Bucket=account.bucket, VersioningConfiguration={"Status": "Suspended"})


def encrypt_with_s3_managed_keys(account: Account) -> None:
    account.client("s3").put_bucket_encryption(
        Bucket=account.bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )


def encrypt_with_aws_managed_kms_key(account: Account) -> None:
    account.client("s3").put_bucket_encryption(
        Bucket=account.bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
        },
    )


def delete_bucket(account: Account) -> None:
    s3 = account.client("s3")
    s3.delete_bucket_policy(Bucket=account.bucket)
    s3.delete_bucket(Bucket=account.bucket)


def set_logging_flags(**flags: bool) -> Callable[[Account], None]:
    def change(account: Account) -> None:
        account.client("bedrock").put_model_invocation_logging_configuration(
            loggingConfig={**account.logging_config, **flags}
        )

    return change


def trust_another_account(account: Account) -> None:
    account.client("iam").update_assume_role_policy(
        RoleName=account.role_arn.rsplit("/", 1)[-1],
        PolicyDocument=trust_policy({"Service": "bedrock.amazonaws.com"}, {"AWS": "arn:aws:iam::999999999999:root"}),
    )


def delete_role(account: Account) -> None:
    account.client("iam").delete_role(RoleName=account.role_arn.rsplit("/", 1)[-1])


def drop_large_data_destination(account: Account) -> None:
    cloudwatch = {
        k: v for k, v in account.logging_config["cloudWatchConfig"].items() if k != "largeDataDeliveryS3Config"
    }
    account.client("bedrock").put_model_invocation_logging_configuration(
        loggingConfig={**account.logging_config, "cloudWatchConfig": cloudwatch}
    )


DRIFTS = [
    pytest.param(delete_logging_configuration, {"bedrock.logging.configured": "not configured"}, id="logging-deleted"),
    pytest.param(lower_retention, {"logs.group.retention": "7 days: logs deleted before 30 days"}, id="retention-7"),
    pytest.param(recreate_log_group_without_key, {"logs.group.encryption": "no kmsKeyId"}, id="log-group-no-key"),
    pytest.param(delete_log_group, {"logs.group.exists": "not found"}, id="log-group-deleted"),
    pytest.param(
        remove_lifecycle, {"s3.bucket.lifecycle": "lifecycle removed: retention not enforced"}, id="lifecycle-removed"
    ),
    pytest.param(
        expire_after_7_days,
        {"s3.bucket.lifecycle": "rule ExpireAfterRetention expires logs after 7 days: deleted before 30 days"},
        id="lifecycle-7-days",
    ),
    pytest.param(
        add_rule_expiring_invocation_logs_after_1_day,
        {"s3.bucket.lifecycle": "rule Cleanup expires logs after 1 days"},
        id="lifecycle-extra-prefix-rule",
    ),
    pytest.param(
        make_bucket_public,
        {
            "s3.bucket.public_access_block": "no Public Access Block on the bucket",
            "s3.bucket.policy_public": "IsPublic=true",
        },
        id="bucket-made-public",
    ),
    pytest.param(
        delete_public_access_block,
        {"s3.bucket.public_access_block": "no Public Access Block on the bucket"},
        id="public-access-block-deleted",
    ),
    pytest.param(
        allow_public_policies,
        {"s3.bucket.public_access_block": "off: BlockPublicPolicy, RestrictPublicBuckets"},
        id="public-access-block-partly-off",
    ),
    pytest.param(suspend_versioning, {"s3.bucket.versioning": "Status=Suspended"}, id="versioning-suspended"),
    pytest.param(encrypt_with_s3_managed_keys, {"s3.bucket.encryption": "AES256 (not KMS)"}, id="sse-s3"),
    pytest.param(
        encrypt_with_aws_managed_kms_key,
        {"s3.bucket.encryption": "aws:kms with the AWS managed key aws/s3"},
        id="sse-kms-aws-managed-key",
    ),
    pytest.param(delete_bucket, {"s3.bucket.exists": "not found"}, id="bucket-deleted"),
    pytest.param(
        set_logging_flags(textDataDeliveryEnabled=False),
        {"bedrock.logging.data.text": "textDataDeliveryEnabled=false"},
        id="text-flag-off",
    ),
    pytest.param(
        set_logging_flags(videoDataDeliveryEnabled=True),
        {"bedrock.logging.data.video": "videoDataDeliveryEnabled=true"},
        id="unconfigured-video-flag-on",
    ),
    pytest.param(
        drop_large_data_destination,
        {"bedrock.logging.large_data": "missing bucketName, keyPrefix"},
        id="large-data-destination-dropped",
    ),
    pytest.param(trust_another_account, {"iam.role.trust": "AWS:arn:aws:iam::999999999999:root"}, id="role-trust"),
    pytest.param(delete_role, {"iam.role.exists": "not found"}, id="role-deleted"),
]


@pytest.mark.parametrize(("drift", "expected_failures"), DRIFTS)
def test_drift_fails_its_own_row_only(
    account: Account, drift: Callable[[Account], None], expected_failures: dict[str, str]
) -> None:
    drift(account)

    code, checks, output = audit(account)

    assert code == 1
    failures = failing(checks)
    assert set(failures) == set(expected_failures), output
    for name, message in expected_failures.items():
        assert message in failures[name].actual, output
    assert output.count(" FAIL") == len(expected_failures)
    assert f"{len(expected_failures)} failed: drift found" in output


# --- Decisions at the edges ----------------------------------------------------------------------------------


def test_log_group_that_never_expires_keeps_longer_and_passes_with_a_note(account: Account) -> None:
    account.client("logs").delete_retention_policy(logGroupName=account.log_group)
    code, checks, _ = audit(account)
    assert code == 0
    row = next(check for check in checks if check.name == "logs.group.retention")
    assert row.passed and row.actual.startswith("never expires")


def test_longer_retention_than_configured_passes(account: Account) -> None:
    account.client("s3").put_bucket_lifecycle_configuration(
        Bucket=account.bucket, LifecycleConfiguration={"Rules": lifecycle_rules(90)}
    )
    account.client("logs").put_retention_policy(logGroupName=account.log_group, retentionInDays=90)
    assert audit(account)[0] == 0


def test_configured_retention_of_90_days_fails_a_30_day_account(account: Account) -> None:
    code, checks, _ = audit(account, make_config(log_retention_days=90))
    assert code == 1
    assert set(failing(checks)) == {"logs.group.retention", "s3.bucket.lifecycle"}


def test_configured_kinds_decide_the_flags(account: Account) -> None:
    code, checks, _ = audit(account, make_config(log_data=["text"]))
    assert code == 1
    assert set(failing(checks)) == {"bedrock.logging.data.image"}


def test_region_without_logging_configuration_fails_with_a_clear_message(account: Account) -> None:
    code, checks, output = audit(account, make_config(regions=[REGION, OTHER_REGION]))

    assert code == 1
    other = [check for check in checks if check.region == OTHER_REGION]
    assert [(c.name, c.result) for c in other] == [("bedrock.logging.configured", "FAIL")]
    assert other[0].actual.startswith("not configured: Bedrock records no invocations in this Region")
    assert all(check.passed for check in checks if check.region == REGION)
    assert "1 failed: drift found" in output


def test_credentials_of_another_account_audit_nothing(account: Account) -> None:
    code, checks, _ = audit(account, make_config(account="111111111111"))
    assert code == 1
    assert [(c.name, c.passed) for c in checks] == [("sts.account", False)]
    assert "account 123456789012 (credentials of another account" in checks[0].actual


def test_configured_account_matching_the_credentials_passes(account: Account) -> None:
    code, checks, _ = audit(account, make_config(account=ACCOUNT))
    assert code == 0
    assert checks[0].name == "sts.account" and checks[0].passed


# --- Errors are rows, never tracebacks -----------------------------------------------------------------------


def deny(account: Account, event: str) -> None:
    """Answer every call matching `event` with 403 AccessDenied, as IAM would without the permission."""

    def handler(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        response = AWSResponse("https://example.invalid", 403, {}, None)  # type: ignore[arg-type]
        error = {"Code": "AccessDenied", "Message": "not authorized to perform this operation"}
        return response, {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 403}}

    account.session.register(event, handler)


# Each read the audit makes after finding the logging configuration -> the row that reports its failure.
DENIABLE = {
    "before-call.s3.GetBucketLifecycleConfiguration": "s3.bucket.lifecycle",
    "before-call.s3.GetBucketEncryption": "s3.bucket.encryption",
    "before-call.s3.GetPublicAccessBlock": "s3.bucket.public_access_block",
    "before-call.s3.GetBucketPolicyStatus": "s3.bucket.policy_public",
    "before-call.s3.GetBucketVersioning": "s3.bucket.versioning",
    "before-call.cloudwatch-logs.DescribeLogGroups": "logs.group.exists",
    "before-call.iam.GetRole": "iam.role.exists",
}


def test_access_denied_is_a_fail_row_for_each_read(account: Account) -> None:
    for event in DENIABLE:
        deny(account, event)
    code, checks, output = audit(account)

    assert code == 1
    failures = failing(checks)
    assert set(failures) == set(DENIABLE.values())
    for row in failures.values():
        assert row.actual == "cannot read: AccessDenied: not authorized to perform this operation"
    assert "Traceback" not in output


def test_access_denied_to_bedrock_fails_the_region(account: Account) -> None:
    deny(account, "before-call.bedrock.GetModelInvocationLoggingConfiguration")
    code, checks, _ = audit(account)
    assert code == 1
    assert [(c.name, c.actual) for c in checks] == [
        ("bedrock.logging.configured", "cannot read: AccessDenied: not authorized to perform this operation")
    ]


# --- The read-only policy matches what the audit calls --------------------------------------------------------


def test_policy_grants_exactly_the_read_actions_the_audit_uses(account: Account) -> None:
    called: set[str] = set()

    def record(event_name: str, **_: Any) -> None:
        _, service, operation = event_name.split(".")
        called.add(f"{service.replace('cloudwatch-logs', 'logs')}.{operation}")

    account.session.register("before-call.*.*", record)
    assert main(make_config(account=ACCOUNT), account.session, io.StringIO()) == 0

    assert called <= set(IAM_ACTION_OF), f"map the new call to its IAM action: {called - set(IAM_ACTION_OF)}"
    needed = {IAM_ACTION_OF[operation] for operation in called} - {None}
    policy = json.loads(POLICY_FILE.read_text())
    granted = set()
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        actions = statement["Action"]
        granted |= set(actions if isinstance(actions, list) else [actions])
    assert policy["Version"] == "2012-10-17"
    assert granted == needed
    assert all(action.split(":")[1].startswith(("Get", "Describe")) for action in granted)


# --- Pure rules ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "passed", "message"),
    [
        ([], False, "no enabled rule expires current objects under invocation-logs/, large-payloads/"),
        (lifecycle_rules(30), True, "after 30 days under invocation-logs/"),
        ([{**lifecycle_rules(30)[0], "Status": "Disabled"}], False, "retention not enforced"),
        ([{**lifecycle_rules(30)[0], "Filter": {"Prefix": "invocation-logs"}}], False, "under large-payloads/"),
        ([{"ID": "Old", "Prefix": "", "Status": "Enabled", "Expiration": {"Days": 60}}], True, "60 days"),
        ([*lifecycle_rules(30), {**lifecycle_rules(1)[0], "Filter": {"Prefix": "other/"}}], True, "30 days"),
        (
            [{**lifecycle_rules(30)[0], "Filter": {"Tag": {"Key": "keep", "Value": "no"}}}],
            False,
            "retention not enforced",
        ),
        (
            [{**lifecycle_rules(30)[0], "Expiration": {"Date": "2027-01-01T00:00:00Z"}}],
            False,
            "fixed date",
        ),
    ],
    ids=["none", "deployed", "disabled", "one-prefix", "legacy-prefix", "unrelated-prefix", "tag-filter", "date"],
)
def test_lifecycle_rules(rules: list[dict[str, Any]], passed: bool, message: str) -> None:
    result, actual = lifecycle_finding(rules, ["invocation-logs", "large-payloads"], 30)
    assert result is passed
    assert message in actual


def test_trust_principals_flag_wildcards_and_not_principal() -> None:
    document = {
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "sts:AssumeRole"},
            {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::2:root"}, "Action": "sts:AssumeRole"},
        ]
    }
    assert trusted_principals(document) == ["*", "NotPrincipal (everyone else)"]
    encoded = quote(
        json.dumps({"Statement": [{"Effect": "Allow", "Principal": {"Service": ["bedrock.amazonaws.com"]}}]})
    )
    assert trusted_principals(encoded) == ["Service:bedrock.amazonaws.com"]


def test_missing_profile_is_a_message_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    out = io.StringIO()
    assert main(make_config(), out=out) == 1
    assert out.getvalue().startswith("Cannot start an AWS session: ProfileNotFound")
