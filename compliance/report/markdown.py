"""The report as Markdown: the reviewer's question answered per Region, then the details and the packs."""

from __future__ import annotations

from compliance.report.assembly import Report
from compliance.report.facts import RegionFacts
from compliance.report.teams import team_lines
from core.retention import MIN_LOG_RETENTION_DAYS


def _check(ok: bool) -> str:
    return "yes" if ok else "NO"


def region_answer(facts: RegionFacts) -> str:
    """One sentence answering: is every Claude call in this Region logged for at least 30 days, and who sees it?"""
    logging = facts.logging
    days = logging.minimum_retention
    if not logging.enabled:
        return f"{facts.region}: invocation logging is NOT configured by these templates."
    ok = days is not None and days >= MIN_LOG_RETENTION_DAYS
    aws = [p.removeprefix("AWS: ") for p in logging.key_principals if p.startswith("AWS: ")]
    accounts = [p for p in aws if p.endswith(":root")]
    roles = [p for p in aws if not p.endswith(":root")]
    readers = (
        f"IAM principals of {', '.join(accounts)} whose IAM policies also grant kms:Decrypt on the log key "
        "(the key policy delegates to IAM)"
        if accounts
        else "no IAM principal of the account"
    )
    if roles:
        readers += f", and {', '.join(roles)} named in the key policy"
    services = [p.removeprefix("Service: ") for p in logging.key_principals if p.startswith("Service: ")]
    return (
        f"{facts.region}: every bedrock-runtime call is logged to S3 and CloudWatch Logs and kept "
        f"{days} days ({'at least' if ok else 'LESS than'} {MIN_LOG_RETENTION_DAYS}); readable by {readers}; "
        f"services using the key under conditions: {', '.join(services) or 'none'}."
    )


def render_markdown(report: Report) -> str:
    lines = ["# Claude on Amazon Bedrock: compliance report", ""]
    lines += [
        "Generated from the synthesized CloudFormation templates of: " + ", ".join(f"`{s}`" for s in report.stacks),
        "",
    ]
    lines += ["## Answer per Region", ""]
    lines += [f"- {region_answer(facts)}" for facts in report.regions.values()]
    for facts in report.regions.values():
        logging, access = facts.logging, facts.access
        lines += ["", f"## {facts.region}", "", "### Invocation logging", ""]
        lines += ["| Property | Value |", "| --- | --- |"]
        rows = [
            ("Logging configured", _check(logging.enabled)),
            ("S3 destination", logging.s3_destination),
            ("CloudWatch Logs destination", logging.cloudwatch_destination),
            ("Large payloads (>100 KB, binary)", logging.large_payloads),
            ("Data delivered", ", ".join(logging.delivered) or "-"),
            ("S3 expiration (days)", str(logging.bucket_expiration_days)),
            ("CloudWatch Logs retention (days)", str(logging.log_group_retention_days)),
            (
                f"At least {MIN_LOG_RETENTION_DAYS} days everywhere",
                _check((logging.minimum_retention or 0) >= MIN_LOG_RETENTION_DAYS),
            ),
            ("S3 encryption", logging.bucket_encryption),
            ("CloudWatch Logs encryption", logging.log_group_encryption),
            ("S3 Object Lock", logging.object_lock),
            ("S3 replication", logging.replication),
            ("S3 public access blocked", _check(logging.public_access_blocked)),
            ("Configuration kept when the stack is deleted", _check(logging.kept_on_stack_deletion)),
        ]
        lines += [f"| {k} | {v} |" for k, v in rows]
        lines += ["", "Who may read the logs (KMS key policy, decrypt):", ""]
        lines += [f"- {who}" for who in logging.key_users] or ["- none"]
        lines += ["", "Who may write to the log bucket (bucket policy):", ""]
        lines += [f"- {who}" for who in logging.bucket_writers] or ["- none"]
        lines += ["", "Who may change the logging configuration (in these templates):", ""]
        lines += [f"- {who}" for who in logging.configuration_changers] or ["- none"]
        lines += ["", "### What could stop, bypass or alter logging", ""]
        lines += ["| Threat | Control in these templates | Covered |", "| --- | --- | --- |"]
        lines += [f"| {t.threat} | {t.control} | {_check(t.covered)} |" for t in facts.threats]
        lines += ["", "### Invocation access", ""]
        lines += [f"- Scope: **{access.scope}**"]
        lines += [f"- Profiles allowed: {', '.join(f'`{p}`' for p in access.profiles) or '-'}"]
        lines += [f"- Routing denied: {', '.join(f'`{d}`' for d in access.denied) or 'none (global scope)'}"]
        lines += [f"- May assume the invoker role: {'; '.join(access.assumers) or '-'}"]
        lines += [f"- May invoke the invoker function directly: {'; '.join(access.function_callers) or 'none'}"]
        lines += team_lines(report.teams.get(facts.region, []))
    lines += ["", "## Rule packs", "", "| Pack | Unacknowledged findings |", "| --- | --- |"]
    lines += [f"| {pack} | {len(found)} |" for pack, found in report.findings.items()]
    for pack, found in report.findings.items():
        lines += [f"- {pack}: {item}" for item in found]
    lines += ["", "## Acknowledgements", "", "| Rule | Reason | Resources |", "| --- | --- | --- |"]
    lines += [
        f"| `{a.rule}` | {a.reason} | {', '.join(f'`{r}`' for r in a.resources)} |" for a in report.acknowledgements
    ]
    return "\n".join(lines) + "\n"
