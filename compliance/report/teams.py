"""What the templates of one Region say about teams: their profiles, who may assume their role, their guardrail.

A team is a role whose policies allow invoking application inference profiles of the same template (the teams
stack); its profiles are those the policies name, with the system-defined profile each copies and its tags.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from compliance.report.cloud_assembly import Names
from compliance.report.templates import principals

APPLICATION_PROFILE = "AWS::Bedrock::ApplicationInferenceProfile"
GUARDRAIL_KEY = "bedrock:GuardrailIdentifier"


@dataclass
class TeamProfile:
    name: str
    copies: str
    tags: dict[str, str]


@dataclass
class TeamFacts:
    role: str  # logical ID
    description: str
    name: str = ""  # the role's construct path
    assumers: list[str] = field(default_factory=list)
    profiles: list[TeamProfile] = field(default_factory=list)
    guardrail: str | None = None


def read_team_facts(resources: dict[str, Any], names: Names | None = None, region: str = "") -> list[TeamFacts]:
    names = names or Names([])

    def symbolic(value: Any) -> Any:
        return names.text(value, region)

    profiles = {k: r["Properties"] for k, r in resources.items() if r["Type"] == APPLICATION_PROFILE}
    teams = []
    for logical_id, template_resource in resources.items():
        if template_resource["Type"] != "AWS::IAM::Role":
            continue
        props = template_resource["Properties"]
        statements = [
            s
            for ref in props.get("ManagedPolicyArns", [])
            if isinstance(ref, dict) and "Ref" in ref and ref["Ref"] in resources
            for s in resources[ref["Ref"]]["Properties"].get("PolicyDocument", {}).get("Statement", [])
        ]
        named = [p for p in profiles if any(p in json.dumps(s.get("Resource", "")) for s in statements)]
        if not named:
            continue
        team = TeamFacts(role=logical_id, description=props.get("Description", ""), name=names.of(logical_id))
        for statement in props["AssumeRolePolicyDocument"]["Statement"]:
            team.assumers += principals(statement, symbolic)
        for profile_id in named:
            profile_properties = profiles[profile_id]
            copies = str(symbolic(profile_properties.get("ModelSource", {}).get("CopyFrom", "-"))).rsplit("/", 1)[-1]
            tags = {t["Key"]: t["Value"] for t in profile_properties.get("Tags", [])}
            team.profiles.append(TeamProfile(profile_properties["InferenceProfileName"], copies, tags))
        for statement in statements:
            condition = statement.get("Condition", {}).get("StringNotEquals", {})
            if statement.get("Effect") == "Deny" and GUARDRAIL_KEY in condition:
                team.guardrail = str(symbolic(condition[GUARDRAIL_KEY]))
        teams.append(team)
    return teams


__all__ = ["TeamFacts", "TeamProfile", "read_team_facts"]
