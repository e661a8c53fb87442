"""Service Control Policy statements that hold the configured scope across an AWS Organization.

Printed by `python app.py scp` for an Organizations administrator to attach; the same statement builders as the
invocation policies (`core.permissions`), so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.permissions import UNSPECIFIED_REGION, Statement, invoke_actions, other_profile_patterns, sid
from core.scopes import GLOBAL, partition_of


def scp_statements(scope: str, regions: Iterable[str]) -> list[Statement]:
    """Service Control Policy statements for an AWS Organizations administrator.

    - global scope: a Region-deny SCP blocks the global profile, because Bedrock checks
      the region-less model ARN with aws:RequestedRegion `unspecified`. The statement
      below is a Region-deny that lets only calls made through a global profile pass.
    - geographic scope: forbid global routing and every other geography organization-wide.
    """
    regions = list(regions)
    partition = partition_of(regions[0])
    global_profiles = f"arn:{partition}:bedrock:*:*:inference-profile/{GLOBAL}.*"
    if scope == GLOBAL:
        return [
            {
                "Sid": "DenyOutsideApprovedRegionsExceptBedrockGlobalProfiles",
                "Effect": "Deny",
                "NotAction": [
                    "account:*",
                    "cloudfront:*",
                    "iam:*",
                    "organizations:*",
                    "route53:*",
                    "sts:*",
                    "support:*",
                ],
                "Resource": "*",
                "Condition": {
                    "StringNotEquals": {"aws:RequestedRegion": regions},
                    # Absent on every other request, so the exemption applies to global-profile calls only.
                    "ArnNotLike": {"bedrock:InferenceProfileArn": global_profiles},
                },
            }
        ]
    actions = invoke_actions(True)
    return [
        {
            "Sid": sid("Deny bedrock routing outside", scope),
            "Effect": "Deny",
            "Action": actions,
            "Resource": [
                *other_profile_patterns(scope, partition),
                f"arn:{partition}:bedrock:::foundation-model/*",
            ],
        },
        {
            "Sid": "DenyBedrockGlobalRouting",
            "Effect": "Deny",
            "Action": actions,
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:RequestedRegion": UNSPECIFIED_REGION},
                "ArnLike": {"bedrock:InferenceProfileArn": global_profiles},
            },
        },
    ]
