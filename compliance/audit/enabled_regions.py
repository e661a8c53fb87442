"""Every enabled Region of the account where Bedrock can be called: is model invocation logging configured there?

Logging is configured per Region, so a Region the deployment does not cover, where Bedrock answers, logs nothing a
caller does there. Prowler's bedrock_model_invocation_logging_enabled checks every Region; so does this module, for
those outside `regions` (the full audit covers those).

- Enabled Regions: EC2 DescribeRegions without AllRegions "describes the Regions that are enabled for your account"
  (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html); the opt-in status is kept as a
  second guard (`opt-in-not-required` or `opted-in`).
- Where Bedrock can be called: the Regions of Bedrock's control-plane endpoint (where a Region's logging
  configuration lives) in the endpoint data botocore ships, the table of "Amazon Bedrock endpoints and quotas"
  (https://docs.aws.amazon.com/general/latest/gr/bedrock.html). Every Region the model catalog calls Claude from is
  in it (tests/compliance/audit/test_enabled_regions.py). A Region newer than the installed botocore is missed:
  keep botocore current.
- An SCP that refuses Bedrock in a Region refuses the audit's read too, and AWS says so in the AccessDenied message
  ("with an explicit deny in a service control policy", IAM user guide, "Troubleshoot access denied error messages",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html). Such a Region is a WARN, not a
  FAIL: the audit sees that the SCP refuses reading the configuration there, not that it refuses every invocation
  (an SCP may exempt some calls, e.g. through global inference profiles). It cannot read the SCP itself from a member
  account; `python app.py scp` prints what to attach.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from compliance.audit.checks import Check
from compliance.aws import AwsError, Client, error_code, error_text
from core.catalog.scopes import partition_of

ENABLED = ("opt-in-not-required", "opted-in")
SCP_DENIAL = "service control policy"
LOGGING_ROW = "bedrock.region.logging"


@cache
def bedrock_regions(partition: str) -> tuple[str, ...]:
    """Regions with a Bedrock control-plane endpoint in `partition`, per botocore's endpoint data."""
    import botocore.session  # its endpoint data only; no credentials, no call

    return tuple(botocore.session.get_session().get_available_regions("bedrock", partition))


def enabled_regions(ec2: Client) -> list[str]:
    return sorted(
        str(region["RegionName"])
        for region in ec2.describe_regions().get("Regions", [])
        if region.get("OptInStatus", "opt-in-not-required") in ENABLED
    )


def _destinations(config: Mapping[str, Any]) -> str:
    s3 = (config.get("s3Config") or {}).get("bucketName")
    group = (config.get("cloudWatchConfig") or {}).get("logGroupName")
    named = [*([f"s3://{s3}"] if s3 else []), *([f"log group {group}"] if group else [])]
    return ", ".join(named) or "no destination"


def check_region_logging(bedrock: Client, region: str) -> Check:
    """One row: logging is configured in a Region outside `regions` (WARN when an SCP refuses Bedrock there)."""
    expected = "model invocation logging configured (Bedrock answers in this enabled Region)"
    try:
        config = bedrock.get_model_invocation_logging_configuration().get("loggingConfig") or {}
    except AwsError as error:
        refused = error_code(error).startswith("AccessDenied") and SCP_DENIAL in error_text(error).lower()
        if refused:
            actual = (
                f"refused by a service control policy ({error_text(error)}): the audit cannot tell whether it "
                "refuses invocations too (python app.py scp prints the Region-deny to attach)"
            )
            return Check(LOGGING_ROW, region, "model invocation logging", expected, actual, True, "WARN")
        return Check(
            LOGGING_ROW, region, "model invocation logging", expected, f"cannot read: {error_text(error)}", False
        )
    if not config:
        actual = "not configured: calls made in this Region are logged nowhere"
        return Check(LOGGING_ROW, region, "model invocation logging", expected, actual, False)
    return Check(
        LOGGING_ROW, region, "model invocation logging", expected, f"configured: {_destinations(config)}", True
    )


def check_every_region(
    ec2: Client, bedrock_in: Callable[[str], Client], home: str, audited: Sequence[str]
) -> list[Check]:
    """A row naming the enabled Regions, then one per enabled Region outside `audited` where Bedrock can be called.

    `ec2` is a client of `home`; `bedrock_in(region)` a Bedrock client of that Region."""
    expected = "every enabled Region where Bedrock can be called has model invocation logging"
    try:
        enabled = enabled_regions(ec2)
    except AwsError as error:
        return [Check("account.regions", home, "enabled Regions", expected, f"cannot read: {error_text(error)}", False)]
    offered = set(bedrock_regions(partition_of(home)))
    outside = [region for region in enabled if region in offered and region not in audited]
    without = [region for region in enabled if region not in offered]
    actual = (
        f"{len(enabled)} enabled; audited in full: {', '.join(audited)}; checked below: {', '.join(outside) or 'none'}"
        + (f"; Bedrock not offered: {', '.join(without)}" if without else "")
    )
    rows = [Check("account.regions", home, "enabled Regions", expected, actual, True)]
    return rows + [check_region_logging(bedrock_in(region), region) for region in outside]
