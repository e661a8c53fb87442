"""The organization audit (`python app.py audit --organization`): the single-account checks, in every account under
`organization_targets` and every configured Region, run concurrently through a read-only role in each account.

- `accounts`: the accounts under the targets (Organizations API, OUs recursively) and a session in each (STS).
- `audit`: every (account, Region) audited with a bounded pool of threads; an account whose role cannot be assumed
  is a FAIL row per Region with the AWS error code, never an exception.
- `report`: one matrix (account x Region x check), the failing rows, a summary; or JSON for pipelines.
- `command`: the command line, the only module here that reads the configuration.

A package of its own, outside what the continuous audit function ships (it needs Organizations and STS, which the
function has no business calling).
"""

from compliance.audit.organization.accounts import Account, TargetAccounts, target_accounts
from compliance.audit.organization.audit import AccountCheck, OrganizationAudit, audit_organization

__all__ = ["Account", "AccountCheck", "OrganizationAudit", "TargetAccounts", "audit_organization", "target_accounts"]
