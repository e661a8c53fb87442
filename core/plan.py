"""What one source Region needs, computed once: the resolved profiles and the IAM statements built from them.

The access stack's `InvokePolicy` and the invoker function's policy are both read from a `RegionPlan`, so the
function can never invoke more than the callers' policy allows (it may also count tokens, which returns only a
count), and nobody recomputes statements on the side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.catalog import ResolvedProfile, resolve
from core.models import ClaudeModel
from core.permissions import (
    MANAGED_POLICY_LIMIT,
    Statement,
    allow_statements,
    count_tokens_statements,
    invoke_actions,
    marketplace_statements,
    policy_size,
    residency_deny_statements,
)
from core.scopes import partition_of

# Policy sizes are measured with a real 12-digit account; synthesis may hold a shorter or longer CDK token.
SAMPLE_ACCOUNT = "123456789012"


class PolicyTooLarge(ValueError):
    """The statements for the chosen models do not fit in a managed policy; str() is the one line a user sees."""


@dataclass(frozen=True)
class RegionPlan:
    region: str
    scope: str
    profiles: tuple[ResolvedProfile, ...]
    # `InvokePolicy` of the access stack: streaming and Marketplace subscription as configured.
    access_statements: tuple[Statement, ...]
    # The invoker function calls InvokeModel (never streaming) and CountTokens, and never subscribes to Marketplace
    # products.
    function_statements: tuple[Statement, ...]


def plan_region(
    *,
    models: Sequence[ClaudeModel],
    scope: str,
    region: str,
    account: str,
    allow_streaming: bool,
    allow_marketplace_subscription: bool,
) -> RegionPlan:
    """Resolve every model under `scope` from `region` and build the statements that allow exactly that."""
    profiles = tuple(resolve(model, scope, region, account) for model in models)
    partition = partition_of(region)

    def invocation(actions: list[str]) -> list[Statement]:
        return [*allow_statements(profiles, actions), *residency_deny_statements(scope, partition, actions)]

    access = invocation(invoke_actions(allow_streaming))
    if allow_marketplace_subscription:
        access += marketplace_statements(p.model for p in profiles)
    return RegionPlan(
        region=region,
        scope=scope,
        profiles=profiles,
        access_statements=tuple(access),
        function_statements=(*invocation(invoke_actions(False)), *count_tokens_statements(profiles)),
    )


def check_fits(plan: RegionPlan) -> None:
    """IAM refuses a managed policy over 6,144 characters at deploy time; say so at synth time."""
    size = policy_size(list(plan.access_statements))
    if size > MANAGED_POLICY_LIMIT:
        raise PolicyTooLarge(
            f"models: {len(plan.profiles)} models under '{plan.scope}' from {plan.region} need a {size}-character "
            f"policy; allowed: at most {MANAGED_POLICY_LIMIT} characters per managed policy, so allow fewer models"
        )
