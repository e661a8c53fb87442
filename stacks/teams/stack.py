"""Stack: the configured teams of one Region (only when `teams` lists any)."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from core.config import TeamConfig
from core.invocation_access.permissions import sid
from stacks.guardrails.stack import GuardrailsStack
from stacks.teams.construct import ClaudeTeam


class TeamsStack(Stack):
    """Per team: its application inference profiles (tagged for cost allocation), its role and policies."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        teams: tuple[TeamConfig, ...],
        endpoint_scope: str,
        region: str,
        guardrails: GuardrailsStack | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.teams: dict[str, ClaudeTeam] = {}
        for team in teams:
            guardrail = guardrails.applied(team.guardrail.name) if team.guardrail and guardrails else None
            name = sid(team.name)
            built = ClaudeTeam(
                self, f"{name}Team", team=team, endpoint_scope=endpoint_scope, region=region, guardrail=guardrail
            )
            self.teams[team.name] = built
            CfnOutput(
                self,
                f"{name}TeamRoleArn",
                value=built.role.role_arn,
                description=f"Role team {team.name} assumes (trusted: {', '.join(team.principals)})",
            )
            CfnOutput(
                self,
                f"{name}TeamProfileArns",
                value=",".join(f"{alias}={p.attr_inference_profile_arn}" for alias, p in built.profiles.items()),
                description=f"modelId values team {team.name} sends, by model alias (application inference profiles)",
            )
