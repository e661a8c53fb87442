"""What the report says, in order: what it covers, verdicts, what it cannot cover, the picture, per Region facts,
packs, acknowledgements, the sign-off."""

from __future__ import annotations

from collections.abc import Callable

from compliance.report.assembly import Report
from compliance.report.audit_tables import audit_tables
from compliance.report.document import Block, Bullets, Document, Figure, Section, Table, Verdicts, yes_no
from compliance.report.facts import TAMPER, UNLOGGED, RegionFacts
from compliance.report.outside import outside_lines
from compliance.report.retention_section import retention_section
from compliance.report.teams import TeamFacts
from compliance.report.verdicts import (
    FAIL,
    GRANTS_TABLE,
    PASS,
    QUESTIONS,
    TAMPER_TABLE,
    TOPICS_TABLE,
    UNLOGGED_TABLE,
    Verdict,
)
from core.invocation_logging.retention import MIN_LOG_RETENTION_DAYS

PACKS_TABLE, ACKNOWLEDGEMENTS_TABLE = "Rule packs", "Acknowledgements"
SIGN_OFF = (
    "Reviewer (name, role)",
    "Date",
    "Decision (approved, approved with conditions, not approved)",
    "Conditions, remarks",
    "Signature",
)

TITLE = "Claude on Amazon Bedrock: compliance report"
NAMES_NOTE = (
    "`{Name}` stands for the name or ARN CloudFormation gives the resource at that construct path when it deploys "
    "the stack; `{account}` for the account it is deployed to."
)


def region_answer(facts: RegionFacts) -> str:
    """One sentence answering: is every Claude call in this Region logged for at least 30 days, and who sees it?"""
    log_facts = facts.logging
    days = log_facts.minimum_retention
    if not log_facts.enabled:
        return f"{facts.region}: invocation logging is NOT configured by these templates."
    ok = days is not None and days >= MIN_LOG_RETENTION_DAYS
    aws = [p.removeprefix("AWS: ") for p in log_facts.key_principals if p.startswith("AWS: ")]
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
    services = [p.removeprefix("Service: ") for p in log_facts.key_principals if p.startswith("Service: ")]
    return (
        f"{facts.region}: every bedrock-runtime call is logged to S3 and CloudWatch Logs and kept "
        f"{days} days ({'at least' if ok else 'LESS than'} {MIN_LOG_RETENTION_DAYS}); readable by {readers}; "
        f"services using the key under conditions: {', '.join(services) or 'none'}."
    )


def _coded(value: str) -> str:
    """`first word` and the rest as text: "abc123 (explanation)" -> "`abc123` (explanation)"."""
    head, _, rest = value.partition(" ")
    return f"`{head}` {rest}".rstrip()


def covers(report: Report) -> list[tuple[str, str]]:
    c = report.covers
    rows = [
        ("Generated", c.generated or "-"),
        ("Commit", _coded(c.commit) if c.commit else "unknown (not a git checkout)"),
        ("Configuration fingerprint", _coded(c.configuration) if c.configuration else "not given"),
        ("Templates fingerprint", f"`{c.templates}` (SHA-256 of the synthesized templates)"),
        ("Regions", ", ".join(report.regions)),
        ("Stacks", ", ".join(f"`{s}`" for s in report.stacks)),
    ]
    if c.account:
        rows.insert(4, ("As deployed in", c.account))
    return rows


def verdicts(report: Report) -> Verdicts:
    regions = list(report.regions)
    questions = [v.question for v in report.verdicts[regions[0]]] if regions else list(QUESTIONS)
    rows = [(q, [report.verdicts[r][i] for r in regions]) for i, q in enumerate(questions)]
    open_findings = sum(len(found) for found in report.findings.values())
    packs = Verdict(
        "Rule packs clean",
        PASS if open_findings == 0 else FAIL,
        f"{open_findings} unacknowledged findings in the {len(packs_table(report).rows)} packs of the table "
        f"“{PACKS_TABLE}”; {len(acknowledgement_table(report).rows)} acknowledgements with reasons (table "
        f"“{ACKNOWLEDGEMENTS_TABLE}”)",
    )
    rows.append(("Rule packs clean", [packs] * len(regions)))
    return Verdicts(regions, rows)


def logging_table(facts: RegionFacts) -> Table:
    log_facts = facts.logging
    rows = [
        ("Logging configured", yes_no(log_facts.enabled)),
        ("S3 destination", log_facts.s3_destination),
        ("CloudWatch Logs destination", log_facts.cloudwatch_destination),
        ("Large payloads (>100 KB, binary)", log_facts.large_payloads),
        ("Data delivered", ", ".join(log_facts.delivered) or "-"),
        ("S3 expiration (days)", str(log_facts.bucket_expiration_days)),
        ("CloudWatch Logs retention (days)", str(log_facts.log_group_retention_days)),
        (
            f"At least {MIN_LOG_RETENTION_DAYS} days everywhere",
            yes_no((log_facts.minimum_retention or 0) >= MIN_LOG_RETENTION_DAYS),
        ),
        ("S3 encryption", log_facts.bucket_encryption),
        ("CloudWatch Logs encryption", log_facts.log_group_encryption),
        ("S3 Object Lock", log_facts.object_lock),
        ("S3 replication", log_facts.replication),
        ("S3 public access blocked", yes_no(log_facts.public_access_blocked)),
        ("Configuration kept when the stack is deleted", yes_no(log_facts.kept_on_stack_deletion)),
    ]
    return Table(["Property", "Value"], [list(r) for r in rows], (32, 68), "facts", marks=True)


def team_table(teams: list[TeamFacts]) -> Table:
    rows = []
    for team in teams:
        profiles = "; ".join(f"`{p.name}` (`{p.copies}`)" for p in team.profiles)
        tags = "; ".join(sorted({f"{k}={v}" for p in team.profiles for k, v in p.tags.items()}))
        guardrail = f"required: `{team.guardrail}`" if team.guardrail else "none"
        rows.append([f"`{team.name or team.role}`", "; ".join(team.assumers), profiles, tags or "-", guardrail])
    columns = ["Team role", "May assume it", "Profiles (copied from)", "Tags", "Guardrail"]
    return Table(columns, rows, (16, 24, 28, 16, 16))


def threat_table(facts: RegionFacts, concerns: str) -> Table:
    rows = [[t.threat, t.control, t.mark] for t in facts.threats if t.concerns == concerns]
    return Table(["Threat", "Control in these templates", "Covered"], rows, (28, 58, 14), marks=True)


def grants_table(facts: RegionFacts) -> Table:
    rows = [[f"`{arn}`", ", ".join(policies)] for arn, policies in facts.access.grants.items()]
    return Table(["ARN that may be invoked", "Allowed by"], rows, (66, 34), "small")


def topics_table(facts: RegionFacts) -> Table:
    rows = [
        [f"`{t.name}`", "; ".join(t.subscribers) or "none in the templates (subscribe after deploying)"]
        for t in facts.alarm_topics
    ]
    return Table(["Alarm topic", "Subscribed in the templates"], rows, (40, 60))


def logging_section(report: Report, facts: RegionFacts) -> list[Section]:
    log_facts = facts.logging
    blocks: list[Block] = [
        logging_table(facts),
        "Who may read the logs (KMS key policy, decrypt):",
        Bullets(log_facts.key_users or ["none"]),
        "Who may write to the log bucket (bucket policy):",
        Bullets(log_facts.bucket_writers or ["none"]),
        "Who may change the logging configuration (in these templates):",
        Bullets(log_facts.configuration_changers or ["none"]),
    ]
    return [Section("Invocation logging", 3, blocks)]


def threat_sections(report: Report, facts: RegionFacts) -> list[Section]:
    return [
        Section(TAMPER_TABLE, 3, [threat_table(facts, TAMPER)]),
        Section(UNLOGGED_TABLE, 3, [threat_table(facts, UNLOGGED)]),
        Section(TOPICS_TABLE, 3, [topics_table(facts)]),
    ]


def access_sections(report: Report, facts: RegionFacts) -> list[Section]:
    access = facts.access
    items = [
        f"Scope: **{access.endpoint_scope}**",
        f"Profiles allowed: {', '.join(f'`{p}`' for p in access.profiles) or '-'}",
        f"Routing denied: {', '.join(f'`{d}`' for d in access.denied) or 'none (global scope)'}",
        f"May assume the invoker role: {'; '.join(access.assumers) or '-'}",
        f"May invoke the invoker function directly: {'; '.join(access.function_callers) or 'none'}",
    ]
    sections = [Section("Invocation access", 3, [Bullets(items)]), Section(GRANTS_TABLE, 4, [grants_table(facts)])]
    teams = report.teams.get(facts.region, [])
    return sections + ([Section("Teams", 3, [team_table(teams)])] if teams else [])


# A Region's section, part by part, in the order a reviewer reads it. A new capability adds its part here.
REGION_PARTS: tuple[Callable[[Report, RegionFacts], list[Section]], ...] = (
    logging_section,
    retention_section,
    threat_sections,
    access_sections,
)


def region_sections(report: Report, facts: RegionFacts) -> list[Section]:
    sections = [Section(facts.region, 2, [], f"region-{facts.region}")]
    for part in REGION_PARTS:
        sections += part(report, facts)
    return sections


def packs_table(report: Report) -> Table:
    return Table(["Pack", "Unacknowledged findings"], [[p, str(len(f))] for p, f in report.findings.items()], (50, 50))


def acknowledgement_table(report: Report) -> Table:
    """One row per reason and resources: the packs that share a rule and a reason share the row."""
    grouped: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for a in report.acknowledgements:
        grouped.setdefault((a.reason, tuple(a.resources)), []).append(a.shown or a.rule)
    rows = [
        [", ".join(f"`{r}`" for r in rules), reason, ", ".join(f"`{r}`" for r in resources)]
        for (reason, resources), rules in sorted(grouped.items(), key=lambda item: item[1])
    ]
    return Table(["Rule", "Reason", "Resources"], rows, (27, 45, 28), "small")


# An audit row's result as a cell: WARN and INFO rows pass (no drift) but are shown as what they are.
def arrow_tables(report: Report) -> list[Block]:
    """The picture's arrows in words, per Region: what each box is and what it points to."""
    blocks: list[Block] = ["Each arrow of the pictures above, with the kind of each end, in the order read."]
    nodes = report.diagram.nodes
    for region in report.regions:
        rows = [
            [
                f"{nodes[e.source].label} ({nodes[e.source].kind})",
                e.label,
                f"{nodes[e.target].label} ({nodes[e.target].kind})",
            ]
            for e in report.diagram.edges
            if nodes[e.source].region == region
        ]
        blocks += [f"**{region}**", Table(["From", "Arrow", "To"], rows, (38, 22, 40), "small")]
    return blocks


def not_covered(report: Report) -> list[Block]:
    return [
        "These templates cannot show the following; each verdict that rests on one says so. Confirm each before "
        "signing:",
        Bullets(outside_lines(report.policies, {r: f.retention for r, f in report.regions.items()}, report.audit)),
    ]


def sign_off(report: Report) -> list[Block]:
    """The reviewer's fields, blank, and what the signature covers: the commit, configuration and templates."""
    c = report.covers
    covered = [
        ("Report generated", c.generated or "-"),
        ("Commit", _coded(c.commit) if c.commit else "unknown (not a git checkout)"),
        ("Configuration fingerprint", _coded(c.configuration) if c.configuration else "not given"),
        ("Templates digest", f"`{c.templates}` (SHA-256 of the synthesized templates)"),
    ]
    if c.account:
        covered.append(("As deployed in", c.account))
    rows = [[field, ""] for field in SIGN_OFF] + [list(row) for row in covered]
    return [
        "Signing says: the verdicts above were read, each item of “Not covered by this report” was confirmed or "
        "accepted, and the infrastructure deployed is the one these fingerprints name.",
        Table(["Field", "Entry"], rows, (34, 66), "sign-off"),
    ]


def build_document(report: Report) -> Document:
    sections = [
        Section("Verdicts", 2, [verdicts(report), Bullets([region_answer(f) for f in report.regions.values()])]),
        Section("Not covered by this report", 2, not_covered(report), "not-covered"),
        Section(
            "Architecture",
            2,
            [
                "Read from the synthesized templates: each arrow is a reference, a policy statement, a trust "
                "policy, an alarm action or a rule target of the templates.",
                *[Figure(region) for region in report.regions],
            ],
        ),
    ]
    for facts in report.regions.values():
        sections += region_sections(report, facts)
    found = [f"{pack}: {item}" for pack, items in report.findings.items() for item in items]
    sections.append(Section(PACKS_TABLE, 2, [packs_table(report), *([Bullets(found)] if found else [])]))
    sections.append(Section(ACKNOWLEDGEMENTS_TABLE, 2, [acknowledgement_table(report)]))
    sections.append(Section("The arrows of the architecture", 2, arrow_tables(report), "arrows"))
    if report.audit:
        sections.append(Section(f"As deployed: the audit of {report.covers.account}", 2, audit_tables(report)))
    sections.append(Section("Sign-off", 2, sign_off(report), "sign-off"))
    note = NAMES_NOTE
    if report.covers.account:
        note = (
            f"Resources are named as the audit found them in {report.covers.account.split(',')[0]}; "
            + NAMES_NOTE.replace("`{Name}` stands", "elsewhere `{Name}` stands")
        )
    return Document(TITLE, covers(report), sections, note)
