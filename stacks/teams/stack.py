"""Stack: the configured teams of one Region (only when `teams` lists any)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from constructs import Construct

from core.invocation_access.permissions import sid
from stacks.teams.construct import ClaudeTeam, TeamProps


@dataclass(frozen=True)
class TeamExports:
    """What a team uses: the role it assumes and its application inference profiles, by model alias."""

    role: iam.Role
    profiles: Mapping[str, bedrock.CfnApplicationInferenceProfile]


@dataclass(frozen=True)
class TeamsExports:
    """Each team's role and profiles, by team name."""

    by_team: Mapping[str, TeamExports]


def team_role_arn_output(team: str) -> str:
    return f"{sid(team)}TeamRoleArn"


def team_role_name_output(team: str) -> str:
    return f"{sid(team)}TeamRoleName"


class TeamsStack(Stack):
    """Per team: its application inference profiles (tagged for cost allocation), its role and policies."""

    def __init__(self, scope: Construct, construct_id: str, *, teams: Sequence[TeamProps], **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        by_team: dict[str, TeamExports] = {}
        for props in teams:
            team = props.plan.team
            name = sid(team.name)
            built = ClaudeTeam(self, f"{name}Team", props=props)
            by_team[team.name] = TeamExports(role=built.role, profiles=built.profiles)
            CfnOutput(
                self,
                team_role_arn_output(team.name),
                value=built.role.role_arn,
                description=f"Role team {team.name} assumes (trusted: {', '.join(team.principals)})",
            )
            CfnOutput(
                self,
                team_role_name_output(team.name),
                value=built.role.role_name,
                description=f"Name of the role of team {team.name} (its budget action, in the budgets stack, names it)",
            )
            CfnOutput(
                self,
                f"{name}TeamProfileArns",
                value=",".join(f"{alias}={p.attr_inference_profile_arn}" for alias, p in built.profiles.items()),
                description=f"modelId values team {team.name} sends, by model alias (application inference profiles)",
            )
        self.exports = TeamsExports(by_team=by_team)
