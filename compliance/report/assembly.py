"""Reading a cloud assembly (`cdk.out`): every stack's template, its acknowledgements and the packs' findings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.report.facts import RegionFacts, read_access_facts, read_logging_facts
from compliance.report.teams import TeamFacts, read_team_facts
from compliance.report.threats import read_threats
from core.rule_packs import PACK_NAMES


@dataclass
class Acknowledgement:
    rule: str
    reason: str
    resources: list[str]


@dataclass
class Report:
    regions: dict[str, RegionFacts]
    findings: dict[str, list[str]]
    acknowledgements: list[Acknowledgement]
    stacks: list[str]
    teams: dict[str, list[TeamFacts]] = field(default_factory=dict)  # by Region


def _acknowledgements(templates: dict[str, dict[str, Any]]) -> list[Acknowledgement]:
    grouped: dict[tuple[str, str], list[str]] = {}
    for stack, template in templates.items():
        for logical_id, resource in template.get("Resources", {}).items():
            for rule in resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", []):
                grouped.setdefault((rule["id"], rule["reason"]), []).append(f"{stack}/{logical_id}")
    return [Acknowledgement(rule, reason, sorted(where)) for (rule, reason), where in sorted(grouped.items())]


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


def build_report(assembly: Path) -> Report:
    manifest = json.loads((assembly / "manifest.json").read_text())
    templates: dict[str, dict[str, Any]] = {}
    regions: dict[str, RegionFacts] = {}
    teams: dict[str, list[TeamFacts]] = {}
    merged: dict[str, dict[str, Any]] = {}
    for name, artifact in sorted(manifest["artifacts"].items()):
        if artifact["type"] != "aws:cloudformation:stack":
            continue
        template = json.loads((assembly / artifact["properties"]["templateFile"]).read_text())
        templates[name] = template
        region = artifact["environment"].rsplit("/", 1)[-1]
        facts = regions.setdefault(region, RegionFacts(region))
        resources = template.get("Resources", {})
        read_logging_facts(resources, facts.logging)
        read_access_facts(resources, facts.access)
        teams.setdefault(region, []).extend(read_team_facts(resources))
        merged.setdefault(region, {}).update(resources)
    for region, facts in regions.items():
        facts.threats = read_threats(merged[region])
    return Report(regions, _findings(assembly), _acknowledgements(templates), sorted(templates), teams)
