"""A moto account holding what the invocation-logging stack deploys in one Region, for the live-account audit.

`compliant_deployment` builds it inside moto (nothing reaches AWS; the credentials are fake). The logging
configuration is the production request (`core.invocation_logging.configuration.logging_config`), the one the
stack's custom resource sends; the bucket, log group, key and role are set up the way the stack sets them up (the
key's policy names what the stack's names); the guards come from the same builders the stack uses
(`core.invocation_logging.guard`: the tamper rule's pattern, the bucket policy's denies, the delivery-failure
metrics), with a confirmed subscription and a multi-Region trail. Bedrock has logged a call: the log stream and a
log object exist. The account has one IAM user, without Bedrock API keys, and three enabled Regions: the deployed
one, `OTHER_CONFIGURED_REGION` where logging is configured by someone else, and one where Bedrock is not offered.
The audit tests apply one drift at a time to it and check that exactly the row concerned fails
(`assert_only_these_rows_fail`).

moto answers TestEventPattern with nothing (its handler is a stub), so `CachingSession` answers it with moto's
real EventBridge pattern matcher (`moto.events.models.EventPattern`), which the tamper-rule tests also use; the
enabled Regions and the Bedrock API keys come from `tests.support.account_stand_ins`.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from unittest import mock
from weakref import WeakKeyDictionary

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from moto import mock_aws
from moto.kms import utils as moto_kms_utils

from compliance.audit import Check
from compliance.audit.run import run, run_audit
from core.config import AppConfig, load_config
from core.invocation_logging.configuration import log_object_prefix, logging_config
from core.invocation_logging.guard import log_bucket_deny_statements
from tests.support.account_stand_ins import AccountFacts, region_not_offering_bedrock
from tests.support.commands import flags, printed, settings_of
from tests.support.fake_guards import ACCOUNT, answer_test_event_pattern, deploy_guards, deploy_trail
from tests.support.fake_retention import RetentionRecord

REGION = "us-east-1"
OTHER_REGION = "us-west-2"
# An enabled Region outside `regions` whose logging someone else configured; the account's IAM user.
OTHER_CONFIGURED_REGION = "eu-west-1"
IAM_USER = "ci-deployer"
INVOCATION_LOG_STREAM = "aws/bedrock/modelinvocations"
TODAY = date(2026, 11, 25)
LOG_DATA = ("text", "image")
ACCESS_DENIED = "cannot read: AccessDenied: not authorized to perform this operation"
# moto's KMS generates an RSA private key for every key, even a symmetric one (~45 ms: the dearest part of deploying a
# Region); only asymmetric Sign and Verify use it, which no audit calls, so one key per key spec serves every key.
_REUSED_PRIVATE_KEY = functools.cache(moto_kms_utils.generate_private_key)


# Clients of each shared session, kept across tests: creating a client is the slow part of a test (~30 ms each), and
# a client outlives a `mock_aws()` (moto answers through a handler botocore gives every client). What a test adds to a
# client, its event handlers, it takes off again at the end (`CachingSession.close`).
_CLIENTS: WeakKeyDictionary[boto3.Session, dict[tuple[str, str], Any]] = WeakKeyDictionary()
# Unique across the process: botocore ignores a second handler registered under an ID it already holds.
_HANDLER_IDS = itertools.count()


class CachingSession:
    """A boto3 session whose clients are shared by every test of `session` (see `_CLIENTS`), with the event handlers
    of one test: they are registered on those clients, and on the session for clients made later, and removed from
    all of them at `close`."""

    def __init__(self, session: boto3.Session, facts: AccountFacts | None = None) -> None:
        self.session = session
        self.clients = _CLIENTS.setdefault(session, {})
        self.registered: list[tuple[str, str]] = []
        self.facts = facts or AccountFacts()
        self.register("before-call.events.TestEventPattern", answer_test_event_pattern)
        for event, handler in self.facts.handlers().items():
            self.register(event, handler)

    def client(self, service: str, region_name: str = REGION, **_: Any) -> Any:
        key = (service, region_name)
        if key not in self.clients:
            self.clients[key] = self.session.client(service, region_name=region_name)
        return self.clients[key]

    def register(self, event: str, handler: Callable[..., Any], first: bool = False) -> None:
        """A botocore event handler for this test: on the clients made so far and on those made later (`first`:
        before the handlers registered earlier, e.g. a denial before the TestEventPattern answer)."""
        unique_id = f"test-audit-{next(_HANDLER_IDS)}"
        for emitter in self._emitters():
            (emitter.register_first if first else emitter.register)(event, handler, unique_id=unique_id)
        self.registered.append((event, unique_id))

    def close(self) -> None:
        """Every handler of this test off the session and the shared clients: the next test starts without them."""
        for event, unique_id in self.registered:
            for emitter in self._emitters():
                emitter.unregister(event, unique_id=unique_id)
        self.registered.clear()

    def _emitters(self) -> list[Any]:
        return [self.session.events, *(client.meta.events for client in self.clients.values())]


@dataclass
class CompliantAccount:
    """What the invocation-logging stack creates in one Region, as the audit finds it."""

    session: CachingSession
    bucket: str
    log_group: str
    role_arn: str
    key_arn: str
    logging_config: dict[str, Any]
    topic_arn: str
    trail_arn: str
    # Bedrock's data retention reads, which moto does not implement (tests/support/fake_retention.py).
    retention: RetentionRecord = field(default_factory=RetentionRecord)

    @property
    def facts(self) -> AccountFacts:
        """The enabled Regions and Bedrock API keys the account answers with (tests change them)."""
        facts: AccountFacts = self.session.facts
        return facts

    def client(self, service: str, region: str = REGION) -> Any:
        return self.session.client(service, region)

    @property
    def role_name(self) -> str:
        return self.role_arn.rsplit("/", 1)[-1]


def audit_config(**context: Any) -> AppConfig:
    """The configuration the account was deployed with (30 days, text and image), changed by `context`."""
    return load_config(
        {"regions": [REGION], "log_retention_days": 30, "log_data": list(LOG_DATA), **context}, today=TODAY
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


def trust_policy(*principals: dict[str, Any], account: str = ACCOUNT) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": principal,
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:SourceAccount": account}},
                }
                for principal in principals
            ],
        }
    )


@contextmanager
def fake_credentials_session() -> Iterator[boto3.Session]:
    """Fake credentials, no profile, and one session."""
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


def _deploy_bucket(
    s3: Any, bucket: str, key_arn: str, account: str = ACCOUNT, region: str = REGION, logged: tuple[str, ...] = ()
) -> None:
    """The log bucket as the stack sets it up, holding the `logged` objects Bedrock wrote (before the policy that
    lets only Bedrock write)."""
    if region == "us-east-1":
        s3.create_bucket(Bucket=bucket)
    else:
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
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
    for key in logged:
        s3.put_object(Bucket=bucket, Key=key, Body=b"{}")
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
                        "Resource": f"arn:aws:s3:::{bucket}/invocation-logs/AWSLogs/{account}/*",
                        "Condition": {"StringEquals": {"aws:SourceAccount": account}},
                    },
                    *log_bucket_deny_statements(f"arn:aws:s3:::{bucket}", break_glass_principal=None),
                ],
            }
        ),
    )


def key_policy(account: str, region: str, log_group: str) -> str:
    """The invocation log key's policy as the stack writes it (stacks/invocation_logging/storage.py): the account,
    Bedrock for this account and Region, CloudWatch Logs for the log group."""
    source = {
        "StringEquals": {"aws:SourceAccount": account},
        "ArnLike": {"aws:SourceArn": f"arn:aws:bedrock:{region}:{account}:*"},
    }
    statements = [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "kms:*", "Resource": "*"},
        {
            "Sid": "AllowBedrockToWriteInvocationLogsOfThisAccountAndRegion",
            "Effect": "Allow",
            "Principal": {"Service": "bedrock.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": "*",
            "Condition": source,
        },
        {
            "Sid": "AllowCloudWatchLogsForTheInvocationLogGroupsOnly",
            "Effect": "Allow",
            "Principal": {"Service": f"logs.{region}.amazonaws.com"},
            "Action": ["kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
            "Resource": "*",
            "Condition": {
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{region}:{account}:log-group:{log_group}"
                }
            },
        },
    ]
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def deploy_region(
    session: Any, *, account: str = ACCOUNT, region: str = REGION, with_trail: bool = True
) -> CompliantAccount:
    """What the logging stack deploys in one Region of `account`, with `session`'s credentials (of that account),
    inside an active moto mock, after Bedrock logged a call. Names carry the account and Region: moto, like S3,
    shares bucket names globally. `with_trail`: also the account's multi-Region trail and its IAM user (once per
    account: both are the account's, not the Region's)."""
    suffix = "" if (account, region) == (ACCOUNT, REGION) else f"-{account}-{region}"
    log_group = f"/aws/bedrock/model-invocations/ClaudeInvocationLogging-{region}/0b1c2d3e"
    kms = session.client("kms", region)
    with mock.patch("moto.kms.models.generate_private_key", _REUSED_PRIVATE_KEY):
        created = kms.create_key(Description="invocation logs", Policy=key_policy(account, region, log_group))
    key_arn = created["KeyMetadata"]["Arn"]
    kms.enable_key_rotation(KeyId=key_arn)
    bucket = f"claude-invocation-logs-bucket{suffix}"
    # One call logged: its record in the bucket (and Bedrock's stream in the group, below).
    logged = f"{log_object_prefix('invocation-logs', account)}{region}/2026/11/24/08/record.json.gz"
    _deploy_bucket(session.client("s3", region), bucket, key_arn, account, region, logged=(logged,))

    logs = session.client("logs", region)
    logs.create_log_group(logGroupName=log_group, kmsKeyId=key_arn)
    logs.put_retention_policy(logGroupName=log_group, retentionInDays=30)

    iam = session.client("iam", region)
    role_arn = iam.create_role(
        RoleName=f"ClaudeInvocationLogging-LoggingDeliveryRole-{region.replace('-', '')}",
        AssumeRolePolicyDocument=trust_policy({"Service": "bedrock.amazonaws.com"}, account=account),
    )["Role"]["Arn"]

    # The request the stack's custom resource sends (PutModelInvocationLoggingConfiguration).
    configuration = logging_config(bucket_name=bucket, log_group_name=log_group, role_arn=role_arn, log_data=LOG_DATA)
    session.client("bedrock", region).put_model_invocation_logging_configuration(loggingConfig=configuration)
    logs.create_log_stream(logGroupName=log_group, logStreamName=INVOCATION_LOG_STREAM)
    topic = deploy_guards(session, region, account=account)
    trail = ""
    if with_trail:
        trail = deploy_trail(session, bucket=f"cloudtrail-of-the-account{suffix}", region=region)
        iam.create_user(UserName=IAM_USER)
    return CompliantAccount(session, bucket, log_group, role_arn, key_arn, configuration, topic, trail)


def configure_elsewhere(session: Any, region: str) -> None:
    """Logging configured in `region` by someone else: an S3 destination of their own."""
    bucket = f"someone-elses-invocation-logs-{region}"
    session.client("s3", region).create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    session.client("bedrock", region).put_model_invocation_logging_configuration(
        loggingConfig={"s3Config": {"bucketName": bucket, "keyPrefix": "logs"}, "textDataDeliveryEnabled": True}
    )


def enabled_regions(*configured: str) -> list[tuple[str, str]]:
    """The fake account's enabled Regions: `configured`, and one where Bedrock is not offered (opted in)."""
    regions = [(region, "opt-in-not-required") for region in configured]
    elsewhere = region_not_offering_bedrock()
    return regions + ([(elsewhere, "opted-in")] if elsewhere else [])


@contextmanager
def compliant_deployment(shared_session: boto3.Session) -> Iterator[CompliantAccount]:
    """A compliant deployment of one Region in a fresh moto backend; drifts applied to it stay in this test."""
    session = CachingSession(shared_session, AccountFacts(regions=enabled_regions(REGION, OTHER_CONFIGURED_REGION)))
    try:
        with mock_aws():
            account = deploy_region(session)
            configure_elsewhere(session, OTHER_CONFIGURED_REGION)
            account.retention.deployed = (REGION,)
            for event, handler in account.retention.handlers():
                session.register(event, handler)
            yield account
    finally:
        session.close()


def audit(account: CompliantAccount, config: AppConfig | None = None) -> tuple[int, list[Check], str]:
    """The exit code and printed table of `main`, and the rows of `run_audit` it printed, for one configuration: one
    audit, its rows recorded on their way to the table (auditing again for them would double a test's time)."""
    config = config or audit_config()
    audited: list[list[Check]] = []

    def recorded(config: AppConfig, session: Any) -> list[Check]:
        audited.append(run_audit(config, session))
        return audited[-1]

    with mock.patch("compliance.audit.run.run_audit", recorded):
        code, out, _ = printed(run, settings_of(config), flags(), session=account.session)
    (checks,) = audited
    return code, checks, out


def failing(checks: list[Check]) -> dict[str, Check]:
    return {check.name: check for check in checks if not check.passed}


def assert_only_these_rows_fail(account: CompliantAccount, expected_failures: dict[str, str]) -> None:
    """Audit the account: exactly the rows named fail, each with its text in ACTUAL; the exit code says drift."""
    code, checks, output = audit(account)
    assert code == 1
    failures = failing(checks)
    assert set(failures) == set(expected_failures), output
    for name, message in expected_failures.items():
        assert message in failures[name].actual, output
    assert output.count(" FAIL") == len(expected_failures)
    unreadable = sum(failures[name].actual.startswith("cannot read: ") for name in expected_failures)
    if unreadable == len(expected_failures):  # a refused call is not drift (compliance/audit/run.py: summary)
        assert f"{unreadable} failed ({unreadable} could not be read): no drift found in what could be read" in output
    else:
        assert f"{len(expected_failures)} failed" in output and ": drift found" in output


def deny(account: CompliantAccount, event: str) -> None:
    """Answer every call matching `event` with 403 AccessDenied, as IAM would without the permission."""

    def handler(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        response = AWSResponse("https://example.invalid", 403, {}, None)  # type: ignore[arg-type]
        error = {"Code": "AccessDenied", "Message": "not authorized to perform this operation"}
        return response, {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 403}}

    account.session.register(event, handler, first=True)
