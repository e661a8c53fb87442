"""`python app.py audit --organization [--json]`: the organization audit from the configuration.

Runs with the caller's credentials, in the management account or an Organizations delegated administrator (to list
the accounts) that may assume `organization_audit_role_name` in each member account
(compliance/organization_audit_caller_policy.json). Exit codes (compliance/command.py): 0 when every row passes, 1 on
any drift, unreachable account or account that could not be listed, 2 without `organization_targets`, 3 without
credentials.
"""

from __future__ import annotations

import sys

from compliance.audit.organization.accounts import SessionFactory, target_accounts
from compliance.audit.organization.audit import OrganizationAudit, audit_organization
from compliance.audit.organization.report import render_json, render_text
from compliance.audit.run import expectations
from compliance.aws import CallerSession, client, start_session
from compliance.command import CANNOT_RUN, FINDINGS, OK, USAGE, Options, Settings
from core.catalog.scopes import partition_of
from core.config import AppConfig


def audit_accounts(
    config: AppConfig, caller: CallerSession, session_factory: SessionFactory | None = None
) -> OrganizationAudit:
    """List the accounts under the targets with `caller`'s session and audit each of them in every Region."""
    organization = config.organization
    organizations = client(caller, "organizations", config.regions[0])
    return audit_organization(
        expectations(config),
        caller,
        target_accounts(organizations, organization.targets),
        regions=config.regions,
        role_name=organization.audit_role_name,
        partition=partition_of(config.regions[0]),
        workers=organization.audit_workers,
        session_factory=session_factory,
    )


def run(
    settings: Settings,
    options: Options,
    *,
    caller: CallerSession | None = None,
    session_factory: SessionFactory | None = None,
) -> int:
    """The matrix (JSON with `--json`). `caller` and `session_factory`: a test's, instead of the caller's default
    session and the roles it assumes."""
    config = settings.config
    if not config.organization.enabled:
        message = "organization_targets: unset; name the OUs (ou-...) or the root (r-...) whose accounts to audit"
        print(f"Configuration error: {message}", file=sys.stderr)
        return USAGE
    caller = caller or start_session(sys.stderr)
    if caller is None:
        return CANNOT_RUN
    audit = audit_accounts(config, caller, session_factory)
    sys.stdout.write(render_json(audit) if "--json" in options else render_text(audit))
    return FINDINGS if audit.drift else OK
