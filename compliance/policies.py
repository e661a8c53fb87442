"""The organization's policies, printed for whoever attaches them.

    python app.py scp [--rcp]       the Service Control Policies (the configured scope and the logging guarantee),
                                    or the Resource Control Policies: what the organization stack attaches with
                                    organization_targets, and what an administrator attaches otherwise
    python app.py archive-policy    the central archive's bucket and key policy statements

Both are the core's statements (core/organization/policies.py, core/organization/rollout.py) as JSON on standard
output, or one line naming the key to fix (exit code 2).
"""

from __future__ import annotations

import json
import sys

from compliance.command import OK, USAGE, Options, Settings
from core.config import AppConfig, ConfigError
from core.organization.policies import organization_policies
from core.organization.rollout import archive_policy_text
from core.organization.scp import policy_text


def print_scp(config: AppConfig, *, resource_control: bool = False) -> int:
    """One policy object, or a JSON list of policies when the statements exceed one policy's 5,120 characters: the
    documents the organization stack attaches with `organization_targets` (core/organization/policies.py, one owner;
    docs/platform/organization.md)."""
    try:
        policies = organization_policies(config)
    except ConfigError as error:  # one statement alone over the limit: too many exact deployment roles
        print(f"Configuration error: {error}", file=sys.stderr)
        return USAGE
    chosen = policies.resource_control if resource_control else policies.service_control
    print(policy_text(chosen[0]) if len(chosen) == 1 else json.dumps(list(chosen), indent=2))
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
    return print_scp(settings.config, resource_control="--rcp" in options)


def run_archive_policy(settings: Settings, options: Options) -> int:
    return print_archive_policy(settings.config)
