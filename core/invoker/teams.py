"""Teams through the invoker: with `teams` and `invoker_function_url`, a team's authenticated callers are served
through the team's application inference profiles, so Bedrock meters their calls under the team's tags.

The function chooses the profile from the caller's principal (Lambda authenticates it: `claude_invoker.callers`),
never from the request. What it needs, per team of the Region: the principals that make a caller a member, the
application profile of each model it serves, and the guardrail the team must apply. The invoker serves a team's
models that are also the invoker's own (`models`); a team's other models stay reachable through its role only.

The function's role may invoke exactly these application profiles, with the statements a team's own role holds
for them (`core.invocation_access.permissions.allow_statements`: the application profile, the system profile it
copies, and the routed models with either profile as `bedrock:InferenceProfileArn`), InvokeModel only. A team that
has a guardrail while the invoker has none is served with the team's guardrail, and IAM denies the function any
call through the team's profiles without it. A team whose guardrail differs from `invoker_guardrail` cannot be
served (the invoker's own Deny requires its guardrail on every call): the plan refuses it (`core.deployment`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.catalog.lookup import ResolvedProfile
from core.catalog.models import ClaudeModel
from core.catalog.scopes import partition_of
from core.guardrails.guardrail import APPLY_GUARDRAIL, GUARDRAIL_IDENTIFIER_KEY, guardrail_identifier
from core.invocation_access.permissions import INVOKE, Statement, allow_statements, sid
from core.invocation_access.plan import SAMPLE_ACCOUNT
from core.teams.plan import TeamPlan

# Application profile IDs of the deployed length (core.teams.plan.SAMPLE_PROFILE_ID), distinct per (team, model).
_SAMPLE_PROFILE_ID = "invokerteam"


@dataclass(frozen=True)
class ServedTeam:
    """One team the invoker serves in a Region: its plan, its models the invoker serves (the invoker's models, in
    the team's order) and the ARN of each one's application profile (a CDK token at synthesis, a sample of the
    deployed length when planning), and the guardrail (ARN, version) its calls apply, if the team has one."""

    plan: TeamPlan
    models: tuple[ClaudeModel, ...]
    profile_arns: tuple[str, ...]
    guardrail: tuple[str, str] | None = None

    @property
    def name(self) -> str:
        return self.plan.team.name

    def system_profiles(self) -> tuple[ResolvedProfile, ...]:
        by_alias = {p.model.alias: p for p in self.plan.profiles}
        return tuple(by_alias[model.alias] for model in self.models)


def principal_key(principal: str) -> tuple[str, ...] | None:
    """How the function matches a configured principal to callers (lambda/invoker/claude_invoker/callers.py, pinned
    by a test): ("account", id), ("role", account, name), ("user", ARN); None for a service principal. An assumed
    role's session ARN names the role without its path, and role names are unique in an account."""
    if principal.isdigit():
        return ("account", principal)
    parts = principal.split(":", 5)
    if len(parts) != 6 or parts[2] != "iam":
        return None
    account, rest = parts[4], parts[5]
    if rest == "root":
        return ("account", account)
    if rest.startswith("role/"):
        return ("role", account, rest.rsplit("/", 1)[-1])
    if rest.startswith("user/"):
        return ("user", principal)
    return None


def served_models(plan: TeamPlan, invoker_models: Sequence[ClaudeModel]) -> tuple[ClaudeModel, ...]:
    """The team's models the invoker serves: those among the invoker's own, in the team's order."""
    allowed = {model.alias for model in invoker_models}
    return tuple(model for model in plan.team.models if model.alias in allowed)


def sample_profile_arns(region: str, team_index: int, count: int) -> tuple[str, ...]:
    """Distinct application profile ARNs of the deployed length for one team's served models, for planning."""
    partition = partition_of(region)
    return tuple(
        f"arn:{partition}:bedrock:{region}:{SAMPLE_ACCOUNT}:application-inference-profile/"
        f"{_SAMPLE_PROFILE_ID}{team_index:02d}{index:03d}"
        for index in range(count)
    )


def team_statements(teams: Sequence[ServedTeam], invoker_guardrail: bool) -> list[Statement]:
    """The function's statements for the teams it serves: each team's application profiles (InvokeModel), and, for a
    team with a guardrail the invoker does not already apply to every call, the Deny of any call through the team's
    profiles without it."""
    statements: list[Statement] = []
    for team in teams:
        if not team.models:
            continue
        prefix = sid("Team", team.name)
        for statement in allow_statements(team.system_profiles(), [INVOKE], entry_arns=team.profile_arns):
            statements.append({**statement, "Sid": f"{prefix}{statement['Sid']}"})
        if team.guardrail is not None and not invoker_guardrail:
            guardrail_arn, version = team.guardrail
            statements += [
                {
                    "Sid": f"{prefix}DenyInvocationWithoutItsGuardrail",
                    "Effect": "Deny",
                    "Action": [INVOKE],
                    "Resource": list(team.profile_arns),
                    "Condition": {
                        "StringNotEquals": {GUARDRAIL_IDENTIFIER_KEY: guardrail_identifier(guardrail_arn, version)}
                    },
                },
                {
                    "Sid": f"{prefix}ApplyItsGuardrail",
                    "Effect": "Allow",
                    "Action": [APPLY_GUARDRAIL],
                    "Resource": [guardrail_arn],
                },
            ]
    return statements


def teams_variable(teams: Sequence[ServedTeam]) -> str:
    """`INVOKER_TEAMS`: team name -> {principals, profiles (model alias -> application profile ARN), guardrail
    ([ARN, version] or null)}, for the teams with a model the invoker serves."""
    value: dict[str, Mapping[str, object]] = {
        team.name: {
            "principals": list(team.plan.team.principals),
            "profiles": {model.alias: arn for model, arn in zip(team.models, team.profile_arns, strict=True)},
            "guardrail": list(team.guardrail) if team.guardrail else None,
        }
        for team in teams
        if team.models
    }
    return json.dumps(value, separators=(",", ":"))
