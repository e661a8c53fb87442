"""What the templates of one Region say about invocation logging and invocation access (data retention:
`compliance.report.retention`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from compliance.report.cloud_assembly import Names
from compliance.report.conditions import in_words
from compliance.report.retention import RetentionFacts
from compliance.report.templates import as_list, principals

# The custom resource that applies the Region's logging configuration (stacks/invocation_logging/configuration.py).
CONFIGURATION_TYPE = "Custom::BedrockModelInvocationLogging"


@dataclass
class LoggingFacts:
    enabled: bool = False
    s3_destination: str = "-"
    cloudwatch_destination: str = "-"
    large_payloads: str = "-"
    delivered: list[str] = field(default_factory=list)
    bucket_expiration_days: int | None = None
    log_group_retention_days: int | None = None
    bucket_encryption: str = "-"
    log_group_encryption: str = "-"
    object_lock: str = "off"
    replication: str = "off"
    public_access_blocked: bool = False
    kept_on_stack_deletion: bool = True
    key_users: list[str] = field(default_factory=list)
    key_principals: list[str] = field(default_factory=list)
    bucket_writers: list[str] = field(default_factory=list)
    configuration_changers: list[str] = field(default_factory=list)

    @property
    def minimum_retention(self) -> int | None:
        values = [v for v in (self.bucket_expiration_days, self.log_group_retention_days) if v is not None]
        return min(values) if values else None


@dataclass
class AccessFacts:
    endpoint_scope: str = "-"
    profiles: list[str] = field(default_factory=list)
    denied: list[str] = field(default_factory=list)
    assumers: list[str] = field(default_factory=list)
    function_callers: list[str] = field(default_factory=list)
    grants: dict[str, list[str]] = field(default_factory=dict)  # ARN invoked -> the policies that allow it


@dataclass(frozen=True)
class Threat:
    """One way logging could be stopped, bypassed or altered, and what in the templates covers it.

    `concerns` names the verdict the row counts toward (TAMPER or UNLOGGED); `needs` what the row still rests on
    outside these templates (an SCP they do not deploy), with the command that confirms it."""

    threat: str
    control: str
    covered: bool
    concerns: str
    needs: str = ""

    @property
    def mark(self) -> str:
        """The row's cell: yes, NO, or WARN when the templates cover it but it rests on something they cannot show."""
        return "NO" if not self.covered else ("WARN" if self.needs else "yes")


TAMPER, UNLOGGED = "tamper", "unlogged"


@dataclass(frozen=True)
class AlarmTopic:
    name: str
    subscribers: tuple[
        str, ...
    ]  # as the templates subscribe them: "email: ...", or the topic's owner for an outside one


@dataclass
class RegionFacts:
    region: str
    logging: LoggingFacts = field(default_factory=LoggingFacts)
    retention: RetentionFacts = field(default_factory=RetentionFacts)
    access: AccessFacts = field(default_factory=AccessFacts)
    threats: list[Threat] = field(default_factory=list)
    alarm_topics: list[AlarmTopic] = field(default_factory=list)


def _when(condition: Any, names: Names, region: str) -> str:
    words = in_words(names.text(condition, region))
    return f", {words}" if words else ""


def read_logging_facts(resources: dict[str, Any], facts: LoggingFacts, names: Names, region: str) -> None:
    def symbolic(value: Any) -> Any:
        return names.text(value, region)

    for logical_id, template_resource in resources.items():
        props = template_resource.get("Properties", {})
        kind = template_resource["Type"]
        if kind == CONFIGURATION_TYPE and "Configuration" in props:
            config = json.loads(symbolic(props["Configuration"]))
            facts.enabled = True
            if "s3Config" in config:
                facts.s3_destination = (
                    f"s3://{config['s3Config']['bucketName']}/{config['s3Config'].get('keyPrefix', '')}"
                )
            cloudwatch = config.get("cloudWatchConfig")
            if cloudwatch:
                facts.cloudwatch_destination = f"{cloudwatch['logGroupName']} (written by {cloudwatch['roleArn']})"
                large = cloudwatch.get("largeDataDeliveryS3Config")
                if large:
                    facts.large_payloads = f"s3://{large['bucketName']}/{large.get('keyPrefix', '')}"
            facts.delivered = sorted(
                key.removesuffix("DataDeliveryEnabled") for key, on in config.items() if key.endswith("Enabled") and on
            )
            facts.kept_on_stack_deletion = props.get("KeepConfigurationOnDelete") == "true"
        elif kind == "AWS::Logs::LogGroup" and "InvocationLogGroup" in logical_id:
            facts.log_group_retention_days = props.get("RetentionInDays")
            key = symbolic(props.get("KmsKeyId"))
            facts.log_group_encryption = f"KMS key {key}" if key else "CloudWatch Logs default encryption"
        elif kind == "AWS::S3::Bucket" and "InvocationLogBucket" in logical_id:
            rules = props.get("LifecycleConfiguration", {}).get("Rules", [])
            days = [r["ExpirationInDays"] for r in rules if r.get("Status") == "Enabled" and "ExpirationInDays" in r]
            facts.bucket_expiration_days = min(days) if days else None
            sse = props.get("BucketEncryption", {}).get("ServerSideEncryptionConfiguration", [{}])[0]
            default = sse.get("ServerSideEncryptionByDefault", {})
            facts.bucket_encryption = (
                f"{default.get('SSEAlgorithm', '-')} {symbolic(default.get('KMSMasterKeyID', ''))}"
            )
            lock = props.get("ObjectLockConfiguration", {}).get("Rule", {}).get("DefaultRetention")
            if lock:
                facts.object_lock = f"{lock.get('Mode', '').lower()} {lock.get('Days', '')} days"
            replicas: dict[str, list[str]] = {}
            for rule in props.get("ReplicationConfiguration", {}).get("Rules", []):
                if rule.get("Status") == "Enabled":
                    target = rule["Destination"]
                    key = target.get("EncryptionConfiguration", {}).get("ReplicaKmsKeyID", "S3 default")
                    deletes = rule.get("DeleteMarkerReplication", {}).get("Status") == "Enabled"
                    where = (
                        f"{symbolic(target['Bucket'])} (key {symbolic(key)}, account {target.get('Account', 'this')}"
                    )
                    where += ", delete markers replicated)" if deletes else ", delete markers not replicated)"
                    replicas.setdefault(where, []).append(rule.get("Filter", {}).get("Prefix") or "every object")
            if replicas:
                facts.replication = "; ".join(f"{', '.join(p)} to {w}" for w, p in replicas.items())
            block = props.get("PublicAccessBlockConfiguration", {})
            facts.public_access_blocked = all(
                block.get(k)
                for k in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
            )
        elif kind == "AWS::KMS::Key" and "InvocationLogKey" in logical_id:
            for statement in props.get("KeyPolicy", {}).get("Statement", []):
                actions = " ".join(as_list(statement.get("Action", [])))
                if statement.get("Effect") == "Allow" and ("Decrypt" in actions or "kms:*" in actions):
                    who = ", ".join(principals(statement, symbolic))
                    facts.key_users.append(who + _when(statement.get("Condition"), names, region))
                    facts.key_principals += principals(statement, symbolic)
        elif kind == "AWS::S3::BucketPolicy" and "InvocationLogBucketPolicy" in logical_id:
            for statement in props.get("PolicyDocument", {}).get("Statement", []):
                if statement.get("Effect") == "Allow":
                    who = ", ".join(principals(statement, symbolic))
                    actions = ", ".join(as_list(statement.get("Action", [])))
                    facts.bucket_writers.append(f"{who}: {actions}" + _when(statement.get("Condition"), names, region))
        elif kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            for statement in props.get("PolicyDocument", {}).get("Statement", []):
                changes = [a for a in as_list(statement.get("Action", [])) if _changes_configuration(a)]
                if statement.get("Effect") == "Allow" and changes:
                    facts.configuration_changers.append(f"{', '.join(changes)} (policy {names.of(logical_id)})")


def _changes_configuration(action: str) -> bool:
    return (
        action.startswith("bedrock:")
        and action.split(":", 1)[1].startswith(("Put", "Delete"))
        and ("ModelInvocationLoggingConfiguration" in action)
    )


_PROFILE = re.compile(r"inference-profile/([\w.:-]+)")
_INVOKE = re.compile(r"^(\*|bedrock:\*|bedrock:Invoke.*)$")


def read_grants(resources: dict[str, Any], facts: AccessFacts, names: Names, region: str) -> None:
    """Every resource an identity policy of the Region allows invoking, with the policies that allow it."""
    for logical_id, template_resource in resources.items():
        for statement in as_list(
            template_resource.get("Properties", {}).get("PolicyDocument", {}).get("Statement", [])
        ):
            if statement.get("Effect") == "Allow" and any(_INVOKE.match(str(a)) for a in as_list(statement["Action"])):
                for arn in as_list(names.text(statement.get("Resource", "*"), region)):
                    policies = facts.grants.setdefault(str(arn), [])
                    if names.of(logical_id) not in policies:
                        policies.append(names.of(logical_id))


def read_access_facts(resources: dict[str, Any], facts: AccessFacts, names: Names, region: str) -> None:
    def symbolic(value: Any) -> Any:
        return names.text(value, region)

    for logical_id, template_resource in resources.items():
        props = template_resource.get("Properties", {})
        kind = template_resource["Type"]
        if kind == "AWS::IAM::ManagedPolicy" and "ClaudeAccessInvokePolicy" in logical_id:
            for statement in props["PolicyDocument"]["Statement"]:
                text = json.dumps(symbolic(statement.get("Resource", [])))
                if statement["Effect"] == "Allow":
                    facts.profiles += [p for p in _PROFILE.findall(text) if p not in facts.profiles]
                else:
                    facts.denied += [str(r) for r in as_list(symbolic(statement["Resource"]))]
            facts.endpoint_scope = facts.profiles[0].split(".", 1)[0] if facts.profiles else "-"
        elif kind == "AWS::IAM::Role" and "InvokerRole" in logical_id:
            for statement in props["AssumeRolePolicyDocument"]["Statement"]:
                when = _when(statement.get("Condition"), names, region)
                facts.assumers += [p + when for p in principals(statement, symbolic)]
        elif kind == "AWS::Lambda::Permission" and "InvokerFunction" in json.dumps(props.get("FunctionName")):
            source = props.get("SourceAccount")
            facts.function_callers.append(
                f"{symbolic(props['Principal'])}" + (f" (source account {symbolic(source)})" if source else "")
            )


def read_alarm_topics(resources: dict[str, Any], names: Names, region: str) -> list[AlarmTopic]:
    """The SNS topics of the Region's templates, each with the subscriptions the templates give it."""
    subscribers: dict[str, list[str]] = {}
    for logical_id, template_resource in resources.items():
        props = template_resource.get("Properties", {})
        if template_resource.get("Type") == "AWS::SNS::Topic":
            subscribers.setdefault(logical_id, []).extend(
                f"{s.get('Protocol')}: {names.text(s.get('Endpoint'), region)}" for s in props.get("Subscription", [])
            )
        elif template_resource.get("Type") == "AWS::SNS::Subscription":
            topic = props.get("TopicArn", {})
            key = str(topic.get("Ref", "")) if isinstance(topic, dict) else str(topic)
            endpoint = f"{props.get('Protocol')}: {names.text(props.get('Endpoint'), region)}"
            subscribers.setdefault(key, []).append(endpoint)
    return [
        AlarmTopic(names.of(logical_id), tuple(found))
        for logical_id, found in subscribers.items()
        if resources.get(logical_id, {}).get("Type") == "AWS::SNS::Topic"
    ]
