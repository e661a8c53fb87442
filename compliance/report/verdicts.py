"""The verdicts at the top of the report: one mark per reviewer's question and Region, derived from the facts.

Nothing here is written per deployment: each verdict reads what `facts` and `threats` say, so a template without the
control turns its mark to FAIL. WARN marks what the templates leave to the operator (nobody subscribed to an alarm
topic), what the configuration chose (the global scope routes worldwide), and what rests on something the templates
cannot show (an SCP they do not deploy), with the command that confirms it. Every count is the number of rows of the
table the report shows beside it (`contents`), counted from the same facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from compliance.report.facts import TAMPER, UNLOGGED, RegionFacts, Threat
from compliance.report.policies import CONFIRM_ATTACHED
from compliance.report.retention import confirm_command
from core.catalog.lookup import Catalog, geography_regions
from core.catalog.pricing import scope_premium_of
from core.catalog.scopes import GEOGRAPHIES
from core.data_retention.modes import RETAINING_MODES
from core.invocation_logging.retention import MIN_LOG_RETENTION_DAYS

PASS, FAIL, WARN = "pass", "fail", "warn"
QUESTIONS = (
    "Every call logged",
    f"Kept at least {MIN_LOG_RETENTION_DAYS} days",
    "Encrypted with customer managed keys",
    "Tamper-resistant",
    "Unlogged paths closed",
    "Access exact",
    "Data residency",
    "Retention of Claude traffic set",
    "Alarms reach someone",
)
# The tables of a Region's section the counts refer to (contents.py titles them so).
TAMPER_TABLE = "What could alter or stop logging"
UNLOGGED_TABLE = "What could go around logging"
GRANTS_TABLE = "What may be invoked"
RETENTION_TABLE = "Is Claude traffic retained, where, and by whom?"
TOPICS_TABLE = "Who hears the alarms"
_MODEL_REGION = re.compile(r"^arn:aws[\w-]*:bedrock:([\w-]*):[^:]*:foundation-model/")


@dataclass(frozen=True)
class Verdict:
    question: str
    status: str  # pass, fail or warn
    detail: str


def _name(threat: Threat) -> str:
    return threat.threat.split(" (")[0]


def threat_verdict(question: str, rows: list[Threat], table: str, closed: str) -> Verdict:
    """PASS when every row of the table is covered and confirmed; WARN when covered by the templates but resting on an
    SCP they do not deploy; FAIL when a row is not covered."""
    covered = [t for t in rows if t.covered]
    count = f"{len(covered)} of {len(rows)} threats of the table “{table}” covered"
    if len(covered) < len(rows) or not rows:
        return Verdict(question, FAIL, f"{count}; not covered: {', '.join(_name(t) for t in rows if not t.covered)}")
    waiting = [t for t in rows if t.needs]
    if waiting:
        names = ", ".join(_name(t) for t in waiting)
        rests = "rests" if len(waiting) == 1 else "rest"
        return Verdict(
            question,
            WARN,
            f"{count} by these templates; {names} also {rests} on an SCP they do not deploy: confirm it attached "
            f"with {CONFIRM_ATTACHED}, or deploy it with `organization_targets`",
        )
    return Verdict(question, PASS, f"{count}; {closed}")


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
    rows = [t for t in facts.threats if t.concerns == TAMPER]
    return threat_verdict(QUESTIONS[3], rows, TAMPER_TABLE, "changes denied organization-wide by the SCPs deployed")


def unlogged_closed(facts: RegionFacts) -> Verdict:
    rows = [t for t in facts.threats if t.concerns == UNLOGGED]
    return threat_verdict(QUESTIONS[4], rows, UNLOGGED_TABLE, "denied organization-wide by the SCPs deployed")


def access_exact(facts: RegionFacts) -> Verdict:
    granted = list(facts.access.grants)
    wide = sorted({r for r in granted if r == "*" or r.endswith(("/*", ":*"))})
    endpoint_scope = facts.access.endpoint_scope
    foreign = [p for p in facts.access.profiles if not p.startswith(f"{endpoint_scope}.")]
    if wide or foreign or not granted:
        problem = ", ".join(wide + foreign) or "no invoke grant found"
        return Verdict(QUESTIONS[5], FAIL, f"wider than named: {problem}")
    detail = f"{len(granted)} named ARNs (table “{GRANTS_TABLE}”), no wildcard; profiles of scope {endpoint_scope} only"
    return Verdict(QUESTIONS[5], PASS, detail)


def residency(facts: RegionFacts) -> Verdict:
    endpoint_scope = facts.access.endpoint_scope
    replica = "" if facts.logging.replication == "off" else "; logs replicated as configured (see S3 replication)"
    if endpoint_scope not in GEOGRAPHIES:
        detail = (
            f"scope {endpoint_scope}: Bedrock may serve calls in any commercial Region; logs stay in {facts.region}"
        )
        return Verdict(QUESTIONS[6], WARN, detail + replica)
    allowed = set(geography_regions(endpoint_scope))
    served = {m.group(1) for r in facts.access.grants if (m := _MODEL_REGION.match(r)) and m.group(1)}
    outside = sorted(served - allowed)
    if outside or not facts.access.denied:
        problem = (
            f"models allowed in {', '.join(outside)}" if outside else f"routing outside {endpoint_scope} not denied"
        )
        return Verdict(QUESTIONS[6], FAIL, problem)
    detail = (
        f"served only in {endpoint_scope} ({', '.join(sorted(served))}: the model ARNs of table “{GRANTS_TABLE}”); "
        f"routing outside {endpoint_scope} denied"
    )
    premium = scope_premium_of(facts.access.profiles, endpoint_scope, Catalog().find)
    return Verdict(QUESTIONS[6], PASS, detail + replica + (f"; {premium}" if premium else ""))


def retention_set(facts: RegionFacts) -> Verdict:
    """PASS when the templates set the Region's mode and it lets every allowed model run without retaining more
    than they need; FAIL when it blocks an allowed model; WARN when the templates leave the mode to the account, set
    `inherit` (the effective mode is decided elsewhere), or retain although no allowed model requires it."""
    retention, question = facts.retention, QUESTIONS[7]
    requiring = retention.requiring
    count = f"{len(requiring)} of {len(retention.models)} models allowed require retention (table “{RETENTION_TABLE}”)"
    if retention.mode is None:
        return Verdict(
            question,
            WARN,
            f"not set by these templates (data_retention_mode=unmanaged): the account's mode decides; confirm with "
            f"{confirm_command(facts.region)}; {count}",
        )
    refused = retention.refused
    if refused:
        blocked = ", ".join(f"{m.name} (runs only under {m.requires})" for m in refused)
        return Verdict(question, FAIL, f"mode {retention.mode} blocks {blocked}; {count}")
    set_by = f"mode {retention.mode} set by these templates; {count}"
    if retention.mode == "inherit":
        return Verdict(
            question,
            WARN,
            f"{set_by}; inherit sets no mode: confirm the effective one with {confirm_command(facts.region)}",
        )
    if retention.mode in RETAINING_MODES and not requiring:
        return Verdict(
            question, WARN, f"{set_by}; it retains prompts and outputs although no allowed model requires it"
        )
    unknown = [m.name for m in requiring if m.model is None]
    if unknown:
        return Verdict(
            question, WARN, f"{set_by}; not in the catalog, so their requirement is unknown: {', '.join(unknown)}"
        )
    return Verdict(question, PASS, set_by)


def alarms_reach(facts: RegionFacts) -> Verdict:
    topics = facts.alarm_topics
    silent = [t for t in topics if not t.subscribers]
    if not topics:
        return Verdict(QUESTIONS[8], FAIL, "no alarm topic in these templates")
    count = f"{len(topics) - len(silent)} of {len(topics)} topics of the table “{TOPICS_TABLE}” have a subscriber"
    if silent:
        return Verdict(QUESTIONS[8], WARN, f"{count} in the templates (subscribe after deploying)")
    return Verdict(QUESTIONS[8], PASS, count)


def region_verdicts(facts: RegionFacts) -> list[Verdict]:
    """The Region's verdicts, in the order of QUESTIONS."""
    return [
        logged(facts),
        retained(facts),
        encrypted(facts),
        tamper_resistant(facts),
        unlogged_closed(facts),
        access_exact(facts),
        residency(facts),
        retention_set(facts),
        alarms_reach(facts),
    ]
