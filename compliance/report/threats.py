"""What could stop, bypass or alter invocation logging in a Region, and which control in the templates covers it.

Every verdict is read from the synthesized resources of the Region (all its stacks together): a control counts when
the resource that implements it is there with the property that makes it work. A row whose prevention is a Service
Control Policy names the policy when the assembly deploys it attached (`compliance.report.policies`); otherwise the
row says so and is marked WARN: the templates cannot show that the policy is attached.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from compliance.report.cloud_assembly import Names
from compliance.report.facts import CONFIGURATION_TYPE, TAMPER, UNLOGGED, Threat
from compliance.report.policies import Prevention
from compliance.report.templates import as_list
from core.invocation_logging.configuration import DELETE_LOGGING_CONFIGURATION, PUT_LOGGING_CONFIGURATION
from core.invocation_logging.guard import BEDROCK_METRIC_NAMESPACE, DELIVERY_FAILURE_METRICS

Resources = Mapping[str, Mapping[str, Any]]
NOT_DEPLOYED = "by an SCP these templates do not deploy (`python app.py scp` prints it)"
NEEDS_SCP = "the SCP attached"
# What the SCPs must deny for each row. bedrock-mantle:CreateInference is the mantle endpoint's inference action
# (Service Authorization Reference, https://docs.aws.amazon.com/service-authorization/latest/reference/list_bedrock-mantle.html);
# API keys are used through both CallWithBearerToken actions ("Control permissions for generating and using Amazon
# Bedrock API keys", https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys-permissions.html).
CONFIGURATION_ACTIONS = (f"bedrock:{PUT_LOGGING_CONFIGURATION}", f"bedrock:{DELETE_LOGGING_CONFIGURATION}")
MANTLE_ACTIONS = ("bedrock-mantle:CreateInference",)
API_KEY_ACTIONS = ("bedrock:CallWithBearerToken", "bedrock-mantle:CallWithBearerToken")


def _denied(prevention: Prevention, actions: tuple[str, ...]) -> tuple[str, str]:
    """The words for who denies `actions` organization-wide, and what the row still needs ("" when deployed)."""
    denying = prevention.denying(actions)
    return (f"by {'; '.join(denying)}", "") if denying else (NOT_DEPLOYED, NEEDS_SCP)


def _of_type(resources: Resources, kind: str) -> dict[str, Mapping[str, Any]]:
    return {logical_id: r for logical_id, r in resources.items() if r.get("Type") == kind}


def _statements(resources: Resources) -> Iterable[tuple[str, Mapping[str, Any]]]:
    for logical_id, template_resource in resources.items():
        properties = template_resource.get("Properties", {})
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


def configuration_change(resources: Resources, names: Names, prevention: Prevention) -> Threat:
    threat = "Configuration change (an account principal puts or deletes the invocation logging configuration)"
    rules = []
    for logical_id, rule in _of_type(resources, "AWS::Events::Rule").items():
        events = rule.get("Properties", {}).get("EventPattern", {}).get("detail", {}).get("eventName", [])
        if {PUT_LOGGING_CONFIGURATION, DELETE_LOGGING_CONFIGURATION} <= set(events):
            targets = [str(names.text(t["Arn"])) for t in rule["Properties"].get("Targets", [])]
            if targets:
                rules.append(f"rule {names.of(logical_id)} notifies {', '.join(targets)}")
    audit = continuous_audit(resources, names)
    by, needs = _denied(prevention, CONFIGURATION_ACTIONS)
    controls = rules + ([audit] if audit else []) + [f"denied to all but the deployment roles {by}"]
    return Threat(threat, "; ".join(controls), bool(rules), TAMPER, needs)


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
    for logical_id, template_resource in _of_type(resources, CONFIGURATION_TYPE).items():
        service_token = template_resource.get("Properties", {}).get("ServiceToken", {})
        function_id = service_token.get("Fn::GetAtt", [""])[0] if isinstance(service_token, dict) else ""
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
            return Threat(threat, control, True, TAMPER)
        control = f"provider {names.of(function_id)} runs whatever SDK call its event names"
        return Threat(threat, control, False, TAMPER)
    return Threat(threat, "no configuration resource in these templates", False, TAMPER)


def unlogged_endpoint(resources: Resources, names: Names, prevention: Prevention) -> Threat:
    threat = "Unlogged endpoint (bedrock-mantle, outside invocation logging)"
    granting = _granted(resources, ("bedrock-mantle:",), ("*",))
    if granting:
        return Threat(threat, f"GRANTED by {', '.join(map(names.of, granting))}", False, UNLOGGED)
    by, needs = _denied(prevention, MANTLE_ACTIONS)
    return Threat(threat, f"no policy in these templates grants bedrock-mantle; denied {by}", True, UNLOGGED, needs)


def api_keys(resources: Resources, names: Names, prevention: Prevention) -> Threat:
    threat = "API keys (bearer tokens, long-lived credentials)"
    granting = _granted(
        resources,
        ("bedrock:CallWithBearerToken", "bedrock-mantle:CallWithBearerToken", "iam:CreateServiceSpecificCredential"),
        ("*", "bedrock:*", "bedrock-mantle:*", "iam:*"),
    )
    if granting:
        return Threat(threat, f"GRANTED by {', '.join(map(names.of, granting))}", False, UNLOGGED)
    by, needs = _denied(prevention, API_KEY_ACTIONS)
    return Threat(threat, f"no policy in these templates grants them; denied {by}", True, UNLOGGED, needs)


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
            return Threat(threat, f"bucket policy {sid}: s3:PutObject denied to all but {services}", True, TAMPER)
    control = "no bucket-policy Deny on s3:PutObject: any principal with IAM access may write"
    return Threat(threat, control, False, TAMPER)


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
        return Threat(threat, "no bucket-policy Deny on deletes" + lock, bool(lock), TAMPER)
    sid, condition = denied[0]
    exempt = as_list(names.text(condition.get("ArnNotEquals", {}).get("aws:PrincipalArn", []))) or ["nobody"]
    control = f"bucket policy {sid}: deletes denied (exempt: {', '.join(map(str, exempt))}){lock}"
    return Threat(threat, control, True, TAMPER)


def delivery_failure(resources: Resources) -> Threat:
    threat = "Delivery failure (logs not delivered to S3 or CloudWatch Logs)"
    watched = set()
    for alarm in _of_type(resources, "AWS::CloudWatch::Alarm").values():
        properties = alarm.get("Properties", {})
        if properties.get("Namespace") == BEDROCK_METRIC_NAMESPACE and properties.get("AlarmActions"):
            watched.add(properties.get("MetricName"))
    missing = [m for m in DELIVERY_FAILURE_METRICS if m not in watched]
    if missing:
        return Threat(threat, f"no alarm on {', '.join(missing)}", False, TAMPER)
    return Threat(threat, f"alarms with actions on {', '.join(DELIVERY_FAILURE_METRICS)}", True, TAMPER)


def read_threats(
    resources: Resources, names: Names | None = None, prevention: Prevention | None = None
) -> list[Threat]:
    """The threats of the Region (its stacks' resources merged), in the order a reviewer asks about them;
    `prevention`: the organization policies the assembly deploys attached (none by default)."""
    names, prevention = names or Names([]), prevention or Prevention()
    return [
        configuration_change(resources, names, prevention),
        provider_misuse(resources, names),
        unlogged_endpoint(resources, names, prevention),
        api_keys(resources, names, prevention),
        object_forging(resources),
        deletion(resources, names),
        delivery_failure(resources),
    ]
