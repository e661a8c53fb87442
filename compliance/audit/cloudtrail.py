"""Check that CloudTrail records the Region's write management events: without them, EventBridge receives no
Put/DeleteModelInvocationLoggingConfiguration event and the tamper-detection rule never fires.

The EventBridge user guide ("Events from AWS services delivered via AWS CloudTrail"): "To record events with one of
the CloudTrail detail-type values, you must enable a CloudTrail trail with logging." A trail covers the Region when
it lives there or is multi-Region (organization trails appear in member accounts as shadow trails).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from compliance.audit.checks import Check
from compliance.aws import AwsError, Client, error_text
from core.invocation_logging.guard import BEDROCK_EVENT_SOURCE


def records_bedrock_writes(trail_selectors: Mapping[str, Any]) -> tuple[bool, str]:
    """Whether the trail's selectors record write management events of bedrock.amazonaws.com, and why not."""
    basic = trail_selectors.get("EventSelectors") or []
    advanced = trail_selectors.get("AdvancedEventSelectors") or []
    if not basic and not advanced:
        # CloudTrail's default for a trail without custom selectors: all management events (IncludeManagementEvents
        # defaults to true, ReadWriteType to All; CloudTrail API reference, EventSelector).
        return True, "default selectors (all management events)"
    for selector in basic:
        if (
            selector.get("IncludeManagementEvents", True)
            and selector.get("ReadWriteType", "All") in ("All", "WriteOnly")
            and BEDROCK_EVENT_SOURCE not in (selector.get("ExcludeManagementEventSources") or [])
        ):
            return True, "event selector with write management events"
    for selector in advanced:
        fields = {f.get("Field"): f for f in selector.get("FieldSelectors", [])}
        category = fields.get("eventCategory", {})
        read_only = fields.get("readOnly", {})
        source = fields.get("eventSource", {})
        if "Management" not in (category.get("Equals") or []):
            continue
        if read_only.get("Equals") and "false" not in read_only["Equals"]:
            continue  # read-only events only
        if "false" in (read_only.get("NotEquals") or []):
            continue
        if BEDROCK_EVENT_SOURCE in (source.get("NotEquals") or []):
            continue
        if source.get("Equals") and BEDROCK_EVENT_SOURCE not in source["Equals"]:
            continue
        return True, f"advanced selector {selector.get('Name') or '(unnamed)'} with write management events"
    return False, "selectors exclude write management events of bedrock.amazonaws.com"


def _trail_settings(client_for: Callable[[str], Client], region: str, trail: Mapping[str, Any]) -> tuple[bool, Any]:
    """(IsLogging, selectors) of a trail, asked in the audited Region, then in the trail's home Region (a shadow trail
    of a multi-Region or organization trail may be known only there)."""
    arn = trail.get("TrailARN") or trail.get("Name", "")
    regions = dict.fromkeys([region, str(trail.get("HomeRegion") or region)])
    error: Exception | None = None
    for where in regions:
        cloudtrail = client_for(where)
        try:
            return bool(cloudtrail.get_trail_status(Name=arn).get("IsLogging")), cloudtrail.get_event_selectors(
                TrailName=arn
            )
        except AwsError as failure:
            error = failure
    assert error is not None
    raise error


def check_management_events(client_for: Callable[[str], Client], region: str) -> Check:
    """One row: a logging trail covering the Region records write management events of Bedrock.

    `client_for(region)` is a CloudTrail client of that Region."""
    name, trails_resource = "cloudtrail.management_events", "trails"
    expected = "a logging trail covering the Region records write management events of bedrock.amazonaws.com"
    try:
        trails = client_for(region).describe_trails(includeShadowTrails=True).get("trailList", [])
    except AwsError as error:
        return Check(name, region, trails_resource, expected, f"cannot read: {error_text(error)}", False)
    covering = [t for t in trails if t.get("IsMultiRegionTrail") or t.get("HomeRegion") == region]
    if not covering:
        return Check(name, region, trails_resource, expected, "no trail covers this Region", False)
    findings = []
    for trail in covering:
        arn = trail.get("TrailARN") or trail.get("Name", "")
        try:
            is_logging, trail_selectors = _trail_settings(client_for, region, trail)
        except AwsError as error:
            findings.append(f"{arn}: cannot read: {error_text(error)}")
            continue
        if not is_logging:
            findings.append(f"{arn}: not logging")
            continue
        records, why = records_bedrock_writes(trail_selectors)
        if records:
            return Check(name, region, arn, expected, f"logging, {why}", True)
        findings.append(f"{arn}: {why}")
    return Check(name, region, trails_resource, expected, "; ".join(findings), False)
