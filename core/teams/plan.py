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
from typing import TYPE_CHECKING

from core.catalog.lookup import ResolvedProfile, resolve
from core.catalog.scopes import partition_of
from core.guardrails.guardrail import SAMPLE_GUARDRAIL_ARN, SAMPLE_GUARDRAIL_VERSION, guardrail_statements
from core.invocation_access.permissions import Statement, allow_statements, invoke_actions, residency_deny_statements
from core.invocation_access.plan import SAMPLE_ACCOUNT
from core.invocation_access.policy_packing import fewest_policies, pack

if TYPE_CHECKING:  # the configuration package imports this module: no import cycle at run time
    from core.config.teams import TeamConfig

# Application inference profile IDs are 12 characters (e.g. `hq2of259skzs` in AWS's and Anthropic's examples);
# sizes are measured with 16 for margin.
SAMPLE_PROFILE_ID = "abcdefghijklmnop"


def sample_application_profile_arn(region: str, index: int) -> str:
    """A distinct application profile ARN of the deployed length, one per index."""
    profile_id = f"{SAMPLE_PROFILE_ID[:-3]}{index:03d}"
    return f"arn:{partition_of(region)}:bedrock:{region}:{SAMPLE_ACCOUNT}:application-inference-profile/{profile_id}"


@dataclass(frozen=True)
class TeamPlan:
    team: TeamConfig
    region: str
    profiles: tuple[ResolvedProfile, ...]
    application_profile_arns: tuple[str, ...]
    statements: tuple[Statement, ...]
    # Values synthesis writes as tokens (account, profile and guardrail ARNs) -> values of their deployed length.
    stand_ins: Mapping[str, str]

    def policies(self) -> list[list[Statement]]:
        """The team role's statements in as few managed policies as hold them."""
        return pack(self.statements, stand_ins=self.stand_ins)


def plan_team(
    team: TeamConfig,
    *,
    endpoint_scope: str,
    region: str,
    account: str,
    application_profile_arns: Sequence[str] | None = None,
    guardrail: tuple[str, str] | None = None,
) -> TeamPlan:
    """The team's statements in `region`; ARNs default to samples of the deployed length (for validation)."""
    profiles = tuple(resolve(model, endpoint_scope, region, account) for model in team.models)
    arns = tuple(application_profile_arns or (sample_application_profile_arn(region, i) for i in range(len(profiles))))
    if len(arns) != len(profiles):
        raise ValueError("plan_team: one application profile ARN per model")
    stand_ins = {account: SAMPLE_ACCOUNT}
    stand_ins.update({arn: sample_application_profile_arn(region, i) for i, arn in enumerate(arns)})
    actions = invoke_actions(True)  # streaming included
    extra: list[Statement] = []
    if team.guardrail is not None:
        arn, version = guardrail or (SAMPLE_GUARDRAIL_ARN, SAMPLE_GUARDRAIL_VERSION)
        extra = guardrail_statements(arn, version)
        stand_ins.update({arn: SAMPLE_GUARDRAIL_ARN, version: SAMPLE_GUARDRAIL_VERSION})

    def build(group_size: int) -> TeamPlan:
        statements = [
            *allow_statements(profiles, actions, entry_arns=arns, group_size=group_size),
            *residency_deny_statements(endpoint_scope, partition_of(region), actions),
            *extra,
        ]
        return TeamPlan(team, region, profiles, arns, tuple(statements), stand_ins)

    return fewest_policies(len(profiles), build, lambda plan: [plan.policies()])
