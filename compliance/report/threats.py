"""What could stop, bypass or alter invocation logging in a Region, and which control in the templates covers it.

Every verdict is read from the synthesized resources of the Region (all its stacks together): a control counts when
the resource that implements it is there with the property that makes it work. Controls that templates cannot hold
(Service Control Policies) are named as such, and the row says what the templates themselves do.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from compliance.report.cloud_assembly import Names
from compliance.report.facts import CONFIGURATION_TYPE, Threat
from compliance.report.templates import as_list
from core.invocation_logging.configuration import DELETE_LOGGING_CONFIGURATION, PUT_LOGGING_CONFIGURATION
from core.invocation_logging.guard import BEDROCK_METRIC_NAMESPACE, DELIVERY_FAILURE_METRICS

Resources = Mapping[str, Mapping[str, Any]]
SCP = "organization-wide only by `python app.py scp`"


def _of_type(resources: Resources, kind: str) -> dict[str, Mapping[str, Any]]:
    return {logical_id: r for logical_id, r in resources.items() if r.get("Type") == kind}


def _statements(resources: Resources) -> Iterable[tuple[str, Mapping[str, Any]]]:
    for logical_id, resource in resources.items():
        properties = resource.get("Properties", {})
        document = properties.get("PolicyDocument") or properties.get("KeyPolicy") or {}
        for statement in as_list(document.get("Statement", [])):
            yield logical_id, statement


def _granted(resources: Resources, prefixes: tuple[str, ...], wildcards: tuple[str, ...]) -> list[str]:
    """Logical IDs of policies whose Allow statements grant an action starting with one of `prefixes`, or one of
    the `wildcards` that include them."""
    return sorted(
        {
            logical_id
            for logical_id, statement in _statements(resources)
            if statement.get("Effect") == "Allow"
            and any(str(a).startswith(prefixes) or a in wildcards for a in as_list(statement.get("Action")))
        }
    )


def configuration_change(resources: Resources, names: Names) -> Threat:
    threat = "Configuration change (Put/DeleteModelInvocationLoggingConfiguration by an account principal)"
    rules = []
    for logical_id, rule in _of_type(resources, "AWS::Events::Rule").items():
        events = rule.get("Properties", {}).get("EventPattern", {}).get("detail", {}).get("eventName", [])
        if {PUT_LOGGING_CONFIGURATION, DELETE_LOGGING_CONFIGURATION} <= set(events):
            targets = [str(names.text(t["Arn"])) for t in rule["Properties"].get("Targets", [])]
            if targets:
                rules.append(f"rule {names.of(logical_id)} notifies {', '.join(targets)}")
    audit = continuous_audit(resources, names)
    controls = rules + ([audit] if audit else []) + [f"denied to all but the deployment roles {SCP}"]
    return Threat(threat, "; ".join(controls), bool(rules))


def continuous_audit(resources: Resources, names: Names) -> str | None:
    for logical_id, function in _of_type(resources, "AWS::Lambda::Function").items():
        environment = function.get("Properties", {}).get("Environment", {}).get("Variables", {})
        if "EXPECTED_LOG_DATA" in environment:
            schedules = [
                r["Properties"].get("ScheduleExpression")
                for r in _of_type(resources, "AWS::Events::Rule").values()
                if logical_id in json.dumps(r.get("Properties", {}).get("Targets", []))
            ]
            repair = "with self-repair" if environment.get("SELF_REPAIR") == "true" else "without self-repair"
            return f"continuous audit {names.of(logical_id)} {', '.join(map(str, schedules))} {repair}"
    return None


def provider_misuse(resources: Resources, names: Names) -> Threat:
    threat = "Provider misuse (invoking the configuration provider's function directly)"
    for logical_id, resource in _of_type(resources, CONFIGURATION_TYPE).items():
        token = resource.get("Properties", {}).get("ServiceToken", {})
        function_id = token.get("Fn::GetAtt", [""])[0] if isinstance(token, dict) else ""
        function = resources.get(function_id, {}).get("Properties", {})
        environment = function.get("Environment", {}).get("Variables", {})
        purpose_built = "ZipFile" in function.get("Code", {}) and {
            "STACK_ID",
            "LOGICAL_RESOURCE_ID",
            "LOGGING_CONFIGURATION",
        } <= set(environment)
        if purpose_built:
            control = (
                f"provider {names.of(function_id)} (inline code) puts only its environment's configuration, for "
                f"{names.of(logical_id)} "
                "of its own stack, while the stack is being deployed"
            )
            return Threat(threat, control, True)
        return Threat(threat, f"provider {names.of(function_id)} runs whatever SDK call its event names", False)
    return Threat(threat, "no configuration resource in these templates", False)


def unlogged_endpoint(resources: Resources, names: Names) -> Threat:
    threat = "Unlogged endpoint (bedrock-mantle, outside invocation logging)"
    granting = _granted(resources, ("bedrock-mantle:",), ("*",))
    if granting:
        return Threat(threat, f"GRANTED by {', '.join(map(names.of, granting))}", False)
    return Threat(threat, f"no policy in these templates grants bedrock-mantle; denied {SCP}", True)


def api_keys(resources: Resources, names: Names) -> Threat:
    threat = "API keys (bearer tokens, long-lived credentials)"
    granting = _granted(
        resources,
        ("bedrock:CallWithBearerToken", "bedrock-mantle:CallWithBearerToken", "iam:CreateServiceSpecificCredential"),
        ("*", "bedrock:*", "bedrock-mantle:*", "iam:*"),
    )
    if granting:
        return Threat(threat, f"GRANTED by {', '.join(map(names.of, granting))}", False)
    return Threat(threat, f"no policy in these templates grants them; denied {SCP}", True)


def _log_bucket_denies(resources: Resources, action: str) -> list[tuple[str, Mapping[str, Any]]]:
    found = []
    for logical_id, statement in _statements(_of_type(resources, "AWS::S3::BucketPolicy")):
        if "InvocationLogBucketPolicy" not in logical_id or statement.get("Effect") != "Deny":
            continue
        if statement.get("Principal") in ("*", {"AWS": "*"}) and action in as_list(statement.get("Action")):
            found.append((str(statement.get("Sid", logical_id)), statement.get("Condition") or {}))
    return found


def object_forging(resources: Resources) -> Threat:
    threat = "Object forging (writing log objects)"
    for sid, condition in _log_bucket_denies(resources, "s3:PutObject"):
        services = condition.get("StringNotEquals", {}).get("aws:PrincipalServiceName")
        if services:
            return Threat(threat, f"bucket policy {sid}: s3:PutObject denied to all but {services}", True)
    return Threat(threat, "no bucket-policy Deny on s3:PutObject: any principal with IAM access may write", False)


def deletion(resources: Resources, names: Names) -> Threat:
    threat = "Deletion (log objects, their versions, retention bypass)"
    denied = _log_bucket_denies(resources, "s3:DeleteObjectVersion")
    lock = ""
    for logical_id, bucket in _of_type(resources, "AWS::S3::Bucket").items():
        retention = bucket.get("Properties", {}).get("ObjectLockConfiguration", {}).get("Rule", {})
        if "InvocationLogBucket" in logical_id and retention.get("DefaultRetention"):
            mode = retention["DefaultRetention"]
            lock = f"; Object Lock {mode.get('Mode', '').lower()} {mode.get('Days', '')} days"
    if not denied:
        return Threat(threat, "no bucket-policy Deny on deletes" + lock, bool(lock))
    sid, condition = denied[0]
    exempt = as_list(names.text(condition.get("ArnNotEquals", {}).get("aws:PrincipalArn", []))) or ["nobody"]
    control = f"bucket policy {sid}: deletes denied (exempt: {', '.join(map(str, exempt))}){lock}"
    return Threat(threat, control, True)


def delivery_failure(resources: Resources) -> Threat:
    threat = "Delivery failure (logs not delivered to S3 or CloudWatch Logs)"
    watched = set()
    for alarm in _of_type(resources, "AWS::CloudWatch::Alarm").values():
        properties = alarm.get("Properties", {})
        if properties.get("Namespace") == BEDROCK_METRIC_NAMESPACE and properties.get("AlarmActions"):
            watched.add(properties.get("MetricName"))
    missing = [m for m in DELIVERY_FAILURE_METRICS if m not in watched]
    if missing:
        return Threat(threat, f"no alarm on {', '.join(missing)}", False)
    return Threat(threat, f"alarms with actions on {', '.join(DELIVERY_FAILURE_METRICS)}", True)


def read_threats(resources: Resources, names: Names | None = None) -> list[Threat]:
    """The threats of the Region (its stacks' resources merged), in the order a reviewer asks about them."""
    names = names or Names([])
    return [
        configuration_change(resources, names),
        provider_misuse(resources, names),
        unlogged_endpoint(resources, names),
        api_keys(resources, names),
        object_forging(resources),
        deletion(resources, names),
        delivery_failure(resources),
    ]
