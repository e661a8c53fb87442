"""The verdicts at the top of the report: one mark per reviewer's question and Region, derived from the facts.

Nothing here is written per deployment: each verdict reads what `facts`, `threats` and the Region's resources say,
so a template without the control turns its mark to FAIL. WARN marks what the templates leave to the operator
(nobody subscribed to an alarm topic) or what the configuration chose (the global scope routes worldwide).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from compliance.report.facts import RegionFacts
from compliance.report.templates import as_list
from core.catalog.lookup import Catalog, geography_regions
from core.catalog.pricing import scope_premium_of
from core.catalog.scopes import GEOGRAPHIES
from core.invocation_logging.retention import MIN_LOG_RETENTION_DAYS

PASS, FAIL, WARN = "pass", "fail", "warn"
TAMPER_THREATS = ("Configuration change", "Provider misuse", "Object forging", "Deletion", "Delivery failure")
UNLOGGED_THREATS = ("Unlogged endpoint", "API keys")
QUESTIONS = (
    "Every call logged",
    f"Kept at least {MIN_LOG_RETENTION_DAYS} days",
    "Encrypted with customer managed keys",
    "Tamper-resistant",
    "Unlogged paths closed",
    "Access exact",
    "Data residency",
    "Alarms reach someone",
)
_INVOKE = re.compile(r"^(\*|bedrock:\*|bedrock:Invoke.*)$")
_MODEL_REGION = re.compile(r"^arn:aws[\w-]*:bedrock:([\w-]*):[^:]*:foundation-model/")


@dataclass(frozen=True)
class Verdict:
    question: str
    status: str  # pass, fail or warn
    detail: str


def _threats(facts: RegionFacts, names: Iterable[str]) -> tuple[list[str], list[str]]:
    wanted = set(names)
    rows = [t for t in facts.threats if t.threat.split(" (")[0] in wanted]
    return [t.threat.split(" (")[0] for t in rows if t.covered], [
        t.threat.split(" (")[0] for t in rows if not t.covered
    ]


def _allow_invoke_resources(resources: Mapping[str, Mapping[str, Any]], text: Any) -> list[str]:
    found = []
    for resource in resources.values():
        properties = resource.get("Properties", {})
        for statement in as_list(properties.get("PolicyDocument", {}).get("Statement", [])):
            if statement.get("Effect") == "Allow" and any(_INVOKE.match(str(a)) for a in as_list(statement["Action"])):
                found += [str(r) for r in as_list(text(statement.get("Resource", "*")))]
    return found


def logged(facts: RegionFacts) -> Verdict:
    log_facts = facts.logging
    both = log_facts.s3_destination != "-" and log_facts.cloudwatch_destination != "-"
    if not log_facts.enabled:
        return Verdict(QUESTIONS[0], FAIL, "invocation logging is not configured by these templates")
    where = "S3 and CloudWatch Logs" if both else "one destination only"
    return Verdict(
        QUESTIONS[0], PASS if both else WARN, f"to {where}; data: {', '.join(log_facts.delivered) or 'none'}"
    )


def retained(facts: RegionFacts) -> Verdict:
    days = facts.logging.minimum_retention
    detail = f"S3 {facts.logging.bucket_expiration_days}, CloudWatch Logs {facts.logging.log_group_retention_days} days"
    ok = days is not None and days >= MIN_LOG_RETENTION_DAYS
    return Verdict(QUESTIONS[1], PASS if ok else FAIL, detail)


def encrypted(facts: RegionFacts) -> Verdict:
    bucket, group = facts.logging.bucket_encryption, facts.logging.log_group_encryption
    ok = bucket.startswith("aws:kms ") and len(bucket) > len("aws:kms ") and group.startswith("KMS key ")
    detail = f"S3: {bucket}; CloudWatch Logs: {group}"
    return Verdict(QUESTIONS[2], PASS if ok else FAIL, detail)


def tamper_resistant(facts: RegionFacts) -> Verdict:
    covered, open_ = _threats(facts, TAMPER_THREATS)
    if open_ or not covered:
        return Verdict(QUESTIONS[3], FAIL, f"not covered: {', '.join(open_) or 'no threat rows'}")
    return Verdict(QUESTIONS[3], PASS, f"{len(covered)} of {len(TAMPER_THREATS)} threats covered")


def unlogged_closed(facts: RegionFacts) -> Verdict:
    covered, open_ = _threats(facts, UNLOGGED_THREATS)
    if open_ or not covered:
        return Verdict(QUESTIONS[4], FAIL, f"open: {', '.join(open_) or 'no threat rows'}")
    return Verdict(QUESTIONS[4], PASS, "no policy grants bedrock-mantle or API keys; the SCPs deny them")


def access_exact(facts: RegionFacts, granted: list[str]) -> Verdict:
    wide = sorted({r for r in granted if r == "*" or r.endswith(("/*", ":*"))})
    endpoint_scope = facts.access.endpoint_scope
    foreign = [p for p in facts.access.profiles if not p.startswith(f"{endpoint_scope}.")]
    if wide or foreign or not granted:
        problem = ", ".join(wide + foreign) or "no invoke grant found"
        return Verdict(QUESTIONS[5], FAIL, f"wider than named: {problem}")
    return Verdict(
        QUESTIONS[5], PASS, f"{len(set(granted))} named ARNs, no wildcard; profiles of scope {endpoint_scope} only"
    )


def residency(facts: RegionFacts, granted: list[str]) -> Verdict:
    endpoint_scope = facts.access.endpoint_scope
    replica = "" if facts.logging.replication == "off" else "; logs replicated as configured (see S3 replication)"
    if endpoint_scope not in GEOGRAPHIES:
        detail = (
            f"scope {endpoint_scope}: Bedrock may serve calls in any commercial Region; logs stay in {facts.region}"
        )
        return Verdict(QUESTIONS[6], WARN, detail + replica)
    allowed = set(geography_regions(endpoint_scope))
    served = {m.group(1) for r in granted if (m := _MODEL_REGION.match(r)) and m.group(1)}
    outside = sorted(served - allowed)
    if outside or not facts.access.denied:
        problem = (
            f"models allowed in {', '.join(outside)}" if outside else f"routing outside {endpoint_scope} not denied"
        )
        return Verdict(QUESTIONS[6], FAIL, problem)
    detail = f"served only in {endpoint_scope} ({len(served)} Regions); routing outside {endpoint_scope} denied"
    premium = scope_premium_of(facts.access.profiles, endpoint_scope, Catalog().find)
    return Verdict(QUESTIONS[6], PASS, detail + replica + (f"; {premium}" if premium else ""))


def alarms_reach(resources: Mapping[str, Mapping[str, Any]]) -> Verdict:
    topics = {k for k, r in resources.items() if r.get("Type") == "AWS::SNS::Topic"}
    subscribed = {
        k
        for k, r in resources.items()
        if r.get("Type") == "AWS::SNS::Topic" and r.get("Properties", {}).get("Subscription")
    }
    for resource in resources.values():
        if resource.get("Type") == "AWS::SNS::Subscription":
            topic = resource.get("Properties", {}).get("TopicArn", {})
            subscribed.add(topic.get("Ref", "") if isinstance(topic, dict) else str(topic))
    silent = sorted(topics - subscribed)
    if not topics:
        return Verdict(QUESTIONS[7], FAIL, "no alarm topic in these templates")
    if silent:
        detail = (
            f"{len(silent)} of {len(topics)} topics have no subscriber in the templates (subscribe after deploying)"
        )
        return Verdict(QUESTIONS[7], WARN, detail)
    return Verdict(QUESTIONS[7], PASS, f"every one of {len(topics)} topics has a subscriber")


def region_verdicts(facts: RegionFacts, resources: Mapping[str, Mapping[str, Any]], text: Any) -> list[Verdict]:
    """The Region's verdicts, in the order of QUESTIONS; `text` makes intrinsics readable (`Names.text`)."""
    granted = _allow_invoke_resources(resources, text)
    return [
        logged(facts),
        retained(facts),
        encrypted(facts),
        tamper_resistant(facts),
        unlogged_closed(facts),
        access_exact(facts, granted),
        residency(facts, granted),
        alarms_reach(resources),
    ]
