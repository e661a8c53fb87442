"""The values a step's braces stand for, read from one synthesis: the logging stack's resources as CloudFormation
would name them in the sample account (tests/support/cfn_values.py), the invoker's function, the configured Region."""

from __future__ import annotations

from typing import Any

from tests.support.logical_ids import PROVIDER_FUNCTION
from tests.support.synth import Synth

LOGGING_STACK = "ClaudeInvocationLogging-"
# Every rule of the logging stack with an event pattern, by construct ID.
RULES = (
    "LoggingTamperRule",
    "LoggingDeploymentRule",
    "StorageGuardRule",
    "KeysAndRolesGuardRule",
    "ProvidersGuardRule",
    "DetectorsGuardRule",
)


def logical_id(template: dict[str, Any], part: str, kind: str) -> str:
    (found,) = [i for i, r in template["Resources"].items() if part in i and r["Type"] == kind]
    return found


def names_of(synth: Synth) -> dict[str, str]:
    values = synth.values(LOGGING_STACK)
    template = values.template
    invoker = synth.values("ClaudeInvoker-")

    def name(part: str, kind: str) -> str:
        return str(values.resolve({"Ref": logical_id(template, part, kind)}))

    role_id = template["Resources"][PROVIDER_FUNCTION]["Properties"]["Role"]["Fn::GetAtt"][0]
    role = values.physical_name(role_id)
    role_path = template["Resources"][role_id]["Properties"]["Path"]
    log_group = template["Resources"][logical_id(template, "InvocationLogGroup", "AWS::Logs::LogGroup")]
    alarm = logical_id(template, "ModelInvocationLogsS3DeliveryFailureAlarm", "AWS::CloudWatch::Alarm")
    return {
        "account": values.account,
        "region": values.region,
        "bucket": name("InvocationLogBucket", "AWS::S3::Bucket"),
        "log_group": str(values.resolve(log_group["Properties"]["LogGroupName"])),
        "log_key_arn": values.arn(logical_id(template, "InvocationLogKey", "AWS::KMS::Key")),
        "topic_key": name("AlarmTopicKey", "AWS::KMS::Key"),
        "topic": name("LoggingAlarmTopic", "AWS::SNS::Topic"),
        "provider": values.physical_name(PROVIDER_FUNCTION),
        "provider_role": role,
        "provider_role_arn": f"arn:aws:iam::{values.account}:role{role_path}{role}",
        "audit": name("LogAuditFunction", "AWS::Lambda::Function"),
        "tamper_rule": name("LoggingTamperRule", "AWS::Events::Rule"),
        "deployment_rule": name("LoggingDeploymentRule", "AWS::Events::Rule"),
        "storage_rule": name("StorageGuardRule", "AWS::Events::Rule"),
        "detectors_rule": name("DetectorsGuardRule", "AWS::Events::Rule"),
        # As CloudFormation names an alarm without AlarmName: the stack's name, the logical ID cut short, a suffix.
        "alarm": f"{values.stack_name}-{alarm[:40]}-1A2B3C4D5E6F",
        "invoker": invoker.physical_name(logical_id(invoker.template, "InvokerFunction", "AWS::Lambda::Function")),
    }


def filled(value: Any, names: dict[str, str]) -> Any:
    """`value` with every brace of its strings replaced by its name."""
    if isinstance(value, str):
        return value.format_map(names)
    if isinstance(value, dict):
        return {key: filled(item, names) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [filled(item, names) for item in value]
    return value
