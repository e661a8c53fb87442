"""The account-wide checks: once per account, not per Region.

Every enabled Region where Bedrock can be called, outside the Regions audited in full, has invocation logging
(`enabled_regions`); no long-term Bedrock API key is active (`api_keys`). The command line runs them once after its
Regions, the organization audit once per account, the continuous audit in each Region it runs in (every function
reports them; they agree).
"""

from __future__ import annotations

from collections.abc import Sequence

from compliance.audit.api_keys import check_bedrock_api_keys
from compliance.audit.checks import Check
from compliance.audit.enabled_regions import check_every_region
from compliance.aws import Session, client


def audit_account(session: Session, home: str, audited: Sequence[str]) -> list[Check]:
    """The account-wide rows, with clients of `home` (IAM is global; DescribeRegions answers for the account)."""
    return [
        *check_every_region(
            client(session, "ec2", home), lambda region: client(session, "bedrock", region), home, audited
        ),
        *check_bedrock_api_keys(client(session, "iam", home)),
    ]
