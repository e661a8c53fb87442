"""Reading a cloud assembly (`cdk.out`): every stack's template, its acknowledgements and the packs' findings."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.report.architecture import read_diagram
from compliance.report.cloud_assembly import Names, Stack, read_stacks, templates_fingerprint
from compliance.report.diagram import Diagram
from compliance.report.facts import (
    RegionFacts,
    read_access_facts,
    read_alarm_topics,
    read_grants,
    read_logging_facts,
)
from compliance.report.policies import OrganizationPolicy, Prevention, read_policies
from compliance.report.retention import allowed_models, read_retention_facts
from compliance.report.teams import TeamFacts, read_team_facts
from compliance.report.threats import read_threats
from compliance.report.verdicts import Verdict, region_verdicts
from core.rule_packs import PACK_NAMES

# cdk-nag writes resources into a finding's ID as <LogicalId> or <LogicalId.Attribute>.
_NAG_TOKEN = re.compile(r"<([A-Za-z0-9:]+?)(?:\.([A-Za-z0-9]+))?>")


@dataclass
class Acknowledgement:
    rule: str  # as cdk-nag writes it in the template
    reason: str
    resources: list[str]  # stack/construct path
    shown: str = ""  # the rule with resources named by construct path


@dataclass
class Covers:
    """What the report covers: when it was made, from which commit, configuration and templates."""

    generated: str = ""
    commit: str = ""
    configuration: str = ""
    templates: str = ""
    account: str = ""  # the as-deployed report: the account audited


# The key of `Report.audit` that holds the audit's rows of the whole account (every enabled Region, Bedrock API keys).
ACCOUNT_WIDE = "account-wide"


@dataclass
class Report:
    regions: dict[str, RegionFacts]
    findings: dict[str, list[str]]
    acknowledgements: list[Acknowledgement]
    stacks: list[str]
    teams: dict[str, list[TeamFacts]] = field(default_factory=dict)  # by Region
    verdicts: dict[str, list[Verdict]] = field(default_factory=dict)  # by Region
    diagram: Diagram = field(default_factory=Diagram)
    covers: Covers = field(default_factory=Covers)
    audit: dict[str, list[Any]] = field(default_factory=dict)  # as deployed: compliance.audit.Check rows by Region
    # (and ACCOUNT_WIDE)
    policies: list[OrganizationPolicy] = field(default_factory=list)  # the organization policies deployed


def readable_rule(rule: str, names: Names) -> str:
    def name(match: re.Match[str]) -> str:
        logical_id, attribute = match.group(1), match.group(2)
        if logical_id == "AWS::AccountId":
            return "{account}"
        if logical_id.startswith("AWS::"):
            return "{" + logical_id.removeprefix("AWS::").lower() + "}"
        return "{" + names.of(logical_id) + (f".{attribute}" if attribute and attribute != "Arn" else "") + "}"

    return _NAG_TOKEN.sub(name, rule)


def _acknowledgements(stacks: list[Stack], names: Names) -> list[Acknowledgement]:
    grouped: dict[tuple[str, str], list[str]] = {}
    for stack in stacks:
        for logical_id, template_resource in stack.resources.items():
            for rule in template_resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", []):
                grouped.setdefault((rule["id"], rule["reason"]), []).append(
                    f"{stack.name}/{stack.readable(logical_id)}"
                )
    return [
        Acknowledgement(rule, reason, sorted(where), readable_rule(rule, names))
        for (rule, reason), where in sorted(grouped.items())
    ]


def _findings(assembly: Path) -> dict[str, list[str]]:
    findings: dict[str, list[str]] = {pack: [] for pack in PACK_NAMES}
    report = assembly / "validation-report.json"
    if report.exists():
        for plugin in json.loads(report.read_text()).get("pluginReports", []):
            for violation in plugin.get("violations", []):
                for construct in violation.get("violatingConstructs", []):
                    findings.setdefault(plugin["pluginName"], []).append(
                        f"{violation['ruleName']} at {construct['constructPath']}"
                    )
    return findings


def build_report(assembly: Path, covers: Covers | None = None) -> Report:
    stacks = read_stacks(assembly)
    names = Names(stacks)
    policies = read_policies(stacks, names)
    regions: dict[str, RegionFacts] = {}
    teams: dict[str, list[TeamFacts]] = {}
    merged: dict[str, dict[str, Any]] = {}
    for stack in stacks:
        facts = regions.setdefault(stack.region, RegionFacts(stack.region))
        resources = stack.resources
        read_logging_facts(resources, facts.logging, names, stack.region)
        read_retention_facts(resources, facts.retention, names, stack.region)
        read_access_facts(resources, facts.access, names, stack.region)
        read_grants(resources, facts.access, names, stack.region)
        teams.setdefault(stack.region, []).extend(read_team_facts(resources, names, stack.region))
        merged.setdefault(stack.region, {}).update(resources)
    verdicts = {}
    for region, facts in regions.items():
        facts.threats = read_threats(merged[region], names, Prevention(tuple(policies)))
        facts.alarm_topics = read_alarm_topics(merged[region], names, region)
        facts.retention.models = allowed_models(facts.access.grants)
        verdicts[region] = region_verdicts(facts)
    covers = covers or Covers()
    covers.templates = covers.templates or templates_fingerprint(stacks)
    return Report(
        regions,
        _findings(assembly),
        _acknowledgements(stacks, names),
        [s.name for s in stacks],
        teams,
        verdicts,
        read_diagram(stacks),
        covers,
        policies=policies,
    )
