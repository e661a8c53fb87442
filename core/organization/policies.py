"""The organization's policies of one configuration: what `python app.py scp` prints and what the organization stack
deploys (one owner, so the two cannot differ).

- Service control policies: the scope (`core.organization.scp.scp_statements`) and the logging guarantee
  (`guard_statements`), packed into as few policies of 5,120 characters as fit.
- Resource control policies: the project's tagged storage and rules, and with `organization_id` its keys and
  buckets kept inside the organization (`core.organization.project_resources.rcp_statements`).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.config import AppConfig, ConfigError
from core.invocation_access.permissions import Statement
from core.organization.principals import ExemptPrincipals, exempt_principals
from core.organization.project_resources import rcp_statements
from core.organization.scp import guard_statements, scp_policies, scp_statements


@dataclass(frozen=True)
class GuardPolicies:
    """Policy documents, each within AWS Organizations' 5,120 characters as printed."""

    service_control: tuple[Statement, ...]
    resource_control: tuple[Statement, ...]


def principals_of(config: AppConfig) -> ExemptPrincipals:
    """The setting writers and deployers of the configuration: the StackSets execution role only with the rollout."""
    return exempt_principals(
        qualifier=config.scp.cdk_qualifier,
        regions=config.regions,
        stack_sets=config.organization.enabled,
        extra_deployers=config.scp.logging_admin_arns,
    )


def organization_policies(config: AppConfig) -> GuardPolicies:
    """Raises ConfigError (one line) when one statement alone exceeds a policy's size: too many exact deployment
    roles in `scp_logging_admin_arns`."""
    principals = principals_of(config)
    statements = scp_statements(config.models.endpoint_scope, config.regions) + guard_statements(
        config.scp,
        principals,
        break_glass_principal=config.logging.break_glass_principal,
        # The configured mode or a stricter one only (unmanaged: none is pinned).
        data_retention_mode=config.data_retention.mode,
    )
    try:
        return GuardPolicies(
            service_control=tuple(scp_policies(statements)),
            resource_control=tuple(
                scp_policies(rcp_statements(principals.deployers, config.organization.organization_id))
            ),
        )
    except ValueError as error:
        raise ConfigError(f"scp_logging_admin_arns: {error}; name fewer roles") from None
