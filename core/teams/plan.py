"""What a team needs in one Region: its application inference profiles and the statements of its role.

A team calls Claude through application inference profiles (one per model) copied from the scope's system-defined
profile, so Bedrock meters its calls under the team's tags (cost allocation) and its calls carry the profile's ARN.

Which ARNs Bedrock evaluates when an application profile wraps a cross-Region (system-defined) profile is not
documented by AWS. Read one way, only the application profile and the routed foundation models are authorized, with
`bedrock:InferenceProfileArn` = the application profile; read another, the wrapped system profile is authorized too
and may be the value of that key (AWS's own CDK construct, aws-bedrock-alpha ApplicationInferenceProfile, grants
the application profile, the system profile and the models in every Region the system profile routes to). The
smallest grant that works under every reading: the team's application profiles; the system profiles of the team's
models; the routed models of those, only with one of these profiles as `bedrock:InferenceProfileArn`. So the team
reaches its models through its profiles and cannot reach another team's profiles, models outside its list, or the
models directly; it could call the system profile of one of its own models directly (logged under its role, not
metered under its tags) until AWS documents that the system profile is not authorized.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.catalog.lookup import ResolvedProfile, resolve
from core.catalog.scopes import partition_of
from core.config.teams import TeamConfig
from core.guardrails.guardrail import (
    SAMPLE_GUARDRAIL_ARN,
    SAMPLE_GUARDRAIL_VERSION,
    guardrail_identifier,
    guardrail_statements,
)
from core.invocation_access.permissions import Statement, allow_statements, invoke_actions, residency_deny_statements
from core.invocation_access.plan import SAMPLE_ACCOUNT
from core.invocation_access.policy_packing import fewest_policies, pack

# Application inference profile IDs are 12 characters (e.g. `hq2of259skzs` in AWS's and Anthropic's examples);
# sizes are measured with 16 for margin.
SAMPLE_PROFILE_ID = "abcdefghijklmnop"


def sample_application_profile_arn(region: str, index: int) -> str:
    """A distinct application profile ARN of the deployed length, one per index."""
    profile_id = f"{SAMPLE_PROFILE_ID[:-3]}{index:03d}"
    return f"arn:{partition_of(region)}:bedrock:{region}:{SAMPLE_ACCOUNT}:application-inference-profile/{profile_id}"


@dataclass(frozen=True)
class TeamPlan:
    """The team's statements, planned before its profiles and guardrail exist: they name samples of the deployed
    length in their place, so sizes and the split across policies are final; `policies_naming` puts the real ARNs
    in."""

    team: TeamConfig
    region: str
    endpoint_scope: str
    # The system-defined profiles the team's application profiles are copied from, one per model, in order.
    profiles: tuple[ResolvedProfile, ...]
    # Stand-ins for the team's application profile ARNs, one per model, in the statements until bound.
    sample_profile_arns: tuple[str, ...]
    # Stand-ins for the guardrail's ARN and version the statements require, when the team has a guardrail.
    sample_guardrail: tuple[str, str] | None
    statements: tuple[Statement, ...]
    # The account as synthesis writes it (a CDK token, or the configured one) -> a 12-digit one, for sizes.
    stand_ins: Mapping[str, str]

    def policies(self) -> list[list[Statement]]:
        """The team role's statements in as few managed policies as hold them (with the samples)."""
        return pack(self.statements, stand_ins=self.stand_ins)

    def policies_naming(
        self, application_profile_arns: Sequence[str], guardrail: tuple[str, str] | None = None
    ) -> list[list[Statement]]:
        """`policies()` with the team's real application profile ARNs and guardrail (ARN, version), CDK tokens at
        synthesis, in place of the samples: same statements, same split (the samples have the deployed length)."""
        if len(application_profile_arns) != len(self.sample_profile_arns):
            raise ValueError("policies_naming: one application profile ARN per model")
        if (guardrail is None) != (self.sample_guardrail is None):
            raise ValueError("policies_naming: a guardrail exactly when the team has one")
        real: dict[str, str] = dict(zip(self.sample_profile_arns, application_profile_arns, strict=True))
        if self.sample_guardrail is not None and guardrail is not None:
            real[guardrail_identifier(*self.sample_guardrail)] = guardrail_identifier(*guardrail)
            real[self.sample_guardrail[0]] = guardrail[0]
        return [[_replaced(statement, real) for statement in document] for document in self.policies()]


def _replaced(value: Any, real: Mapping[str, str]) -> Any:
    """`value` with every string that is a key of `real` replaced by its value (the samples are whole values)."""
    if isinstance(value, str):
        return real.get(value, value)
    if isinstance(value, list):
        return [_replaced(item, real) for item in value]
    if isinstance(value, dict):
        return {key: _replaced(item, real) for key, item in value.items()}
    return value


def plan_team(team: TeamConfig, *, endpoint_scope: str, region: str, account: str) -> TeamPlan:
    """The team's statements in `region`, naming samples of the deployed length for its application profiles and
    its guardrail (they are created in the same deployment: `TeamPlan.policies_naming` binds them)."""
    profiles = tuple(resolve(model, endpoint_scope, region, account) for model in team.models)
    arns = tuple(sample_application_profile_arn(region, i) for i in range(len(profiles)))
    actions = invoke_actions(True)  # streaming included
    sample_guardrail = (SAMPLE_GUARDRAIL_ARN, SAMPLE_GUARDRAIL_VERSION) if team.guardrail is not None else None
    extra = guardrail_statements(*sample_guardrail) if sample_guardrail is not None else []

    def build(group_size: int) -> TeamPlan:
        statements = [
            *allow_statements(profiles, actions, entry_arns=arns, group_size=group_size),
            *residency_deny_statements(endpoint_scope, partition_of(region), actions),
            *extra,
        ]
        return TeamPlan(
            team=team,
            region=region,
            endpoint_scope=endpoint_scope,
            profiles=profiles,
            sample_profile_arns=arns,
            sample_guardrail=sample_guardrail,
            statements=tuple(statements),
            stand_ins={account: SAMPLE_ACCOUNT},
        )

    return fewest_policies(len(profiles), build, lambda plan: [plan.policies()])
