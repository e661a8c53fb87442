"""What one source Region needs, computed once: the resolved profiles and the IAM statements built from them.

The access stack's `InvokePolicy` and the invoker function's policy are both read from a `RegionPlan`, so the
function can never hold more than the callers' policy, and nobody recomputes statements on the side. The plan also
decides how the statements are split across managed policies when they outgrow one
(`core.invocation_access.policy_packing`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.catalog.lookup import ResolvedProfile, resolve
from core.catalog.models import ClaudeModel
from core.catalog.scopes import partition_of
from core.invocation_access.permissions import (
    Statement,
    allow_statements,
    count_tokens_statements,
    invoke_actions,
    marketplace_statements,
    residency_deny_statements,
)
from core.invocation_access.policy_packing import (
    MANAGED_POLICY_LIMIT,
    MAX_MANAGED_POLICIES_PER_ROLE,
    PolicyTooLarge,
    fewest_policies,
    pack,
)

# Policy sizes are measured with a real 12-digit account; synthesis may hold a shorter or longer CDK token.
SAMPLE_ACCOUNT = "123456789012"
# Room kept in the invoker function's own policy for its own statements (logs, traces, queues, key, network
# interfaces); tests/stacks/invoker checks the synthesized policy with every model stays within the limit.
FUNCTION_OWN_STATEMENTS_RESERVE = 2000

__all__ = [
    "FUNCTION_OWN_STATEMENTS_RESERVE",
    "SAMPLE_ACCOUNT",
    "PolicyTooLarge",
    "RegionPlan",
    "check_fits",
    "plan_region",
]


@dataclass(frozen=True)
class RegionPlan:
    region: str
    endpoint_scope: str
    profiles: tuple[ResolvedProfile, ...]
    # `InvokePolicy` of the access stack: streaming and Marketplace subscription as configured.
    access_statements: tuple[Statement, ...]
    # The invoker function calls InvokeModel only, and never subscribes to Marketplace products.
    function_statements: tuple[Statement, ...]
    # The account the ARNs name (a CDK token in an environment-agnostic synthesis); sizes count it as 12 digits.
    account: str = SAMPLE_ACCOUNT

    def stand_ins(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        return {self.account: SAMPLE_ACCOUNT, **(extra or {})}

    def access_policies(self) -> list[list[Statement]]:
        """`access_statements` in as few managed policies as hold them: `InvokePolicy`, then `InvokePolicy2`..."""
        return pack(self.access_statements, stand_ins=self.stand_ins())

    def function_policies(
        self, extra: Sequence[Statement] = (), stand_ins: Mapping[str, str] | None = None
    ) -> list[list[Statement]]:
        """`function_statements` (and `extra`, e.g. a guardrail's) split the same way; the first part shares the
        function's own policy with its own statements, so it has `FUNCTION_OWN_STATEMENTS_RESERVE` less room."""
        return pack(
            [*self.function_statements, *extra],
            stand_ins=self.stand_ins(stand_ins),
            first_limit=MANAGED_POLICY_LIMIT - FUNCTION_OWN_STATEMENTS_RESERVE,
        )


def plan_region(
    *,
    models: Sequence[ClaudeModel],
    endpoint_scope: str,
    region: str,
    account: str,
    allow_streaming: bool,
    allow_marketplace_subscription: bool,
) -> RegionPlan:
    """Resolve every model under `scope` from `region` and build the statements that allow exactly that."""
    profiles = tuple(resolve(model, endpoint_scope, region, account) for model in models)
    partition = partition_of(region)

    def build(group_size: int) -> RegionPlan:
        def invocation(actions: list[str]) -> list[Statement]:
            allows = allow_statements(profiles, actions, group_size=group_size)
            return [*allows, *residency_deny_statements(endpoint_scope, partition, actions)]

        access = invocation(invoke_actions(allow_streaming))
        if allow_marketplace_subscription:
            access += marketplace_statements(p.model for p in profiles)
        return RegionPlan(
            region=region,
            endpoint_scope=endpoint_scope,
            profiles=profiles,
            access_statements=tuple(access),
            # The function invokes without streaming and may count tokens (which returns only a count).
            function_statements=(*invocation(invoke_actions(False)), *count_tokens_statements(profiles)),
            account=account,
        )

    return fewest_policies(len(profiles), build, lambda plan: [plan.access_policies(), plan.function_policies()])


def check_policy_count(count: int, what: str, key: str = "models") -> None:
    """Refuse, in one line, statements that need more managed policies than IAM attaches to one role."""
    if count > MAX_MANAGED_POLICIES_PER_ROLE:
        raise PolicyTooLarge(
            f"{key}: {what} need {count} managed policies of at most {MANAGED_POLICY_LIMIT} characters; allowed: at "
            f"most {MAX_MANAGED_POLICIES_PER_ROLE} per role (IAM's default quota), so allow fewer models"
        )


def check_fits(
    plan: RegionPlan, function_extra: Sequence[Statement] = (), stand_ins: Mapping[str, str] | None = None
) -> None:
    """IAM refuses an oversized policy, or an eleventh managed policy on a role, at deploy time: say so at synth."""
    what = f"{len(plan.profiles)} models under '{plan.endpoint_scope}' from {plan.region}"
    try:
        check_policy_count(len(plan.access_policies()), what)
        check_policy_count(len(plan.function_policies(function_extra, stand_ins)), f"the invoker function's {what}")
    except PolicyTooLarge as error:
        message = str(error)
        raise PolicyTooLarge(message if message.startswith("models:") else f"models: {what}: {message}") from None
