"""The policies the project does not deploy itself, printed for whoever owns them.

    python app.py scp               the Service Control Policies: the configured scope and the logging guarantee
    python app.py archive-policy    the central archive's bucket and key policy statements

Both are the core's statements (core/organization/scp.py, core/organization/rollout.py) as JSON on standard output,
or one line naming the key to fix (exit code 2).
"""

from __future__ import annotations

import json
import sys

from compliance.command import OK, USAGE, Options, Settings
from core.config import AppConfig
from core.organization.rollout import STACKSETS_EXECUTION_ROLE_PATTERN, archive_policy_text
from core.organization.scp import guard_statements, policy_text, scp_policies, scp_statements


def print_scp(config: AppConfig) -> int:
    """One policy object, or a JSON list of policies when the statements exceed one SCP's 5,120 characters.

    With the organization rollout configured, the role StackSets deploys with in member accounts may create the
    project's roles there too (docs/platform/organization.md)."""
    admins = config.scp.logging_admin_arns
    if config.organization.enabled and STACKSETS_EXECUTION_ROLE_PATTERN not in admins:
        admins = (*admins, STACKSETS_EXECUTION_ROLE_PATTERN)
    statements = scp_statements(config.models.endpoint_scope, config.regions) + guard_statements(
        logging_admin_arns=admins,
        allow_unlogged_endpoint=config.scp.allow_unlogged_endpoint,
        deny_api_keys=config.scp.deny_api_keys,
    )
    try:
        policies = scp_policies(statements)
    except ValueError as error:  # one statement alone over the limit: too many deployment-role patterns
        print(f"Configuration error: scp_logging_admin_arns: {error}; use fewer or broader patterns", file=sys.stderr)
        return USAGE
    print(policy_text(policies[0]) if len(policies) == 1 else json.dumps(policies, indent=2))
    return OK


def print_archive_policy(config: AppConfig) -> int:
    """The archive owner's bucket and key policy statements, as JSON; one line naming the missing key otherwise."""
    organization = config.organization
    if organization.archive is None:
        print(
            "Configuration error: organization_archive_bucket_arn: unset; set it to the central archive bucket's "
            "ARN, with organization_archive_kms_key_arn and organization_archive_account",
            file=sys.stderr,
        )
        return USAGE
    if organization.organization_id is None:
        print(
            "Configuration error: organization_id: unset; the archive's policies admit the organization's accounts by "
            "it: set it to the ID `aws organizations describe-organization` shows (o-...)",
            file=sys.stderr,
        )
        return USAGE
    print(archive_policy_text(organization.archive, organization_id=organization.organization_id))
    return OK


def run_scp(settings: Settings, options: Options) -> int:
    return print_scp(settings.config)


def run_archive_policy(settings: Settings, options: Options) -> int:
    return print_archive_policy(settings.config)
