"""`python app.py audit --organization [--json]`: the organization audit from the configuration.

Runs with the caller's credentials, in the management account or an Organizations delegated administrator (to list
the accounts) that may assume `organization_audit_role_name` in each member account
(compliance/organization_audit_caller_policy.json). Exit code: 0 when every row passes, 1 on any drift, unreachable
account or account that could not be listed, 2 on bad configuration.
"""

from __future__ import annotations

import sys
from typing import TextIO

from compliance.audit.organization.accounts import SessionFactory, target_accounts
from compliance.audit.organization.audit import OrganizationAudit, audit_organization
from compliance.audit.organization.report import render_json, render_text
from compliance.audit.run import expectations
from compliance.aws import CallerSession, client, start_session
from core.catalog.scopes import partition_of
from core.config import AppConfig


def run(config: AppConfig, caller: CallerSession, session_factory: SessionFactory | None = None) -> OrganizationAudit:
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


def main(
    config: AppConfig,
    *,
    as_json: bool = False,
    caller: CallerSession | None = None,
    out: TextIO = sys.stdout,
    session_factory: SessionFactory | None = None,
) -> int:
    if not config.organization.enabled:
        message = "organization_targets: unset; name the OUs (ou-...) or the root (r-...) whose accounts to audit"
        print(f"Configuration error: {message}", file=sys.stderr)
        return 2
    if caller is None:
        caller = start_session(out)
        if caller is None:
            return 1
    audit = run(config, caller, session_factory)
    out.write(render_json(audit) if as_json else render_text(audit))
    return 1 if audit.drift else 0
