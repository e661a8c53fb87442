"""Construct: one team in one Region: an application inference profile per model, a role, and its policies.

Each profile is copied (`ModelSource.CopyFrom`) from the scope's system-defined profile, so it routes exactly as
that profile does, and carries the team's tags: Bedrock meters calls made through it under those tags (cost
allocation). The role carries them too (principal tags, for Bedrock's attribution of cost to the caller). The role's
statements are the team's plan (`core.teams.plan`), made before the profiles exist: the team's profiles only,
streaming included, with the scope's residency Deny and, when the team has a guardrail, the Deny of any call without
it; the construct puts the profiles' and the guardrail's ARNs in place of the plan's samples.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import CfnTag, Duration, Tags
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from constructs import Construct

from core.guardrails.guardrail import AppliedGuardrail
from core.invocation_access.permissions import sid
from core.teams.plan import TeamPlan
from stacks.shared.principals import principal


@dataclass(frozen=True)
class TeamProps:
    """What `ClaudeTeam` is built from."""

    # The team (name, principals, models, tags) in one Region: its system profiles and role statements, planned once.
    plan: TeamPlan
    # The guardrail the team's role must apply (from the Region's guardrails stack), when the team names one.
    guardrail: AppliedGuardrail | None


class ClaudeTeam(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, props: TeamProps) -> None:
        super().__init__(scope, construct_id)
        plan, guardrail = props.plan, props.guardrail
        team = plan.team
        self.profiles: dict[str, bedrock.CfnApplicationInferenceProfile] = {}
        for model, system_profile in zip(team.models, plan.profiles, strict=True):
            # A stable id per model: a team keeps each profile (and its ARN, metrics and cost line) while others
            # are added or removed. Name, description and source are create-only: changing them replaces it.
            self.profiles[model.alias] = bedrock.CfnApplicationInferenceProfile(
                self,
                f"{sid(model.alias)}Profile",
                inference_profile_name=team.profile_name(model),
                description=f"Team {team.name} calls {model.alias} through the {plan.endpoint_scope} profile",
                model_source=bedrock.CfnApplicationInferenceProfile.InferenceProfileModelSourceProperty(
                    copy_from=system_profile.profile_arn
                ),
                tags=[CfnTag(key=key, value=value) for key, value in team.tags],
            )
        documents = plan.policies_naming(
            [p.attr_inference_profile_arn for p in self.profiles.values()],
            (guardrail.arn, guardrail.version) if guardrail else None,
        )
        self.policies = [
            iam.ManagedPolicy(
                self,
                "InvokePolicy" if number == 1 else f"InvokePolicy{number}",
                description=f"Team {team.name}: invoke {', '.join(m.alias for m in team.models)} through the "
                f"team's application inference profiles in {plan.region}"
                + (f" (part {number} of {len(documents)})" if len(documents) > 1 else ""),
                document=iam.PolicyDocument(statements=[iam.PolicyStatement.from_json(s) for s in statements]),
            )
            for number, statements in enumerate(documents, start=1)
        ]
        self.role = iam.Role(
            self,
            "Role",
            description=f"Assumed by team {team.name} to call Claude through its own inference profiles",
            assumed_by=iam.CompositePrincipal(*(principal(p) for p in team.principals)),
            managed_policies=list(self.policies),
            max_session_duration=Duration.hours(1),
        )
        # Principal tags: Bedrock attributes a call's cost to the IAM principal that made it, and its tags, once
        # activated as cost allocation tags, split the bill (iamPrincipal/<key>) as the profiles' tags do.
        for key, value in team.tags:
            Tags.of(self.role).add(key, value)
