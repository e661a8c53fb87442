"""The account's side: three read-only Bedrock control-plane reads per Region, turned into an `ObservedRegion`.

- `ListInferenceProfiles` (typeEquals=SYSTEM_DEFINED, every page): which profiles the Region offers.
- `GetInferenceProfile` per configured geographic profile the Region offers: `models[].modelArn` are the
  foundation-model ARNs it routes to, one per destination Region (Bedrock user guide, "Supported Regions and
  models for inference profiles": "The models field in the response maps to a list of model ARNs, in which you can
  identify each destination Region"). A Region-less ARN (the global profile's) names no Region and is left out.
- `ListFoundationModels` (byProvider=anthropic; not paginated in the service model): `modelLifecycle.status`, and
  `modelLifecycle.endOfLifeTime` where Bedrock gives it.

An AWS error is a value (`Unreadable`: the IAM action and `Code: message`), never a traceback. When the first
read fails without an answer from AWS (no credentials, no endpoint), the Region's other reads are not tried:
they would fail the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from compliance.aws import AwsError, Client, error_code, error_text
from compliance.catalog_check.compare import (
    GET_PROFILE,
    LIST_MODELS,
    LIST_PROFILES,
    ObservedRegion,
    Unreadable,
)
from compliance.catalog_check.expected import region_of


def system_defined_profiles(bedrock: Client) -> frozenset[str]:
    pages = bedrock.get_paginator("list_inference_profiles").paginate(typeEquals="SYSTEM_DEFINED")
    return frozenset(summary["inferenceProfileId"] for page in pages for summary in page["inferenceProfileSummaries"])


def routed_regions(bedrock: Client, profile_id: str) -> frozenset[str] | Unreadable | None:
    """The Regions of the profile's foundation-model ARNs; None when Bedrock does not know the profile."""
    try:
        response = bedrock.get_inference_profile(inferenceProfileIdentifier=profile_id)
    except AwsError as error:
        if error_code(error) == "ResourceNotFoundException":
            return None
        return Unreadable(GET_PROFILE, error_text(error))
    arns = (model.get("modelArn", "") for model in response.get("models", []))
    return frozenset(region_of(arn) for arn in arns if arn) - {""}


def foundation_models(bedrock: Client) -> list[dict[str, Any]] | Unreadable:
    try:
        return list(bedrock.list_foundation_models(byProvider="anthropic").get("modelSummaries", []))
    except AwsError as error:
        return Unreadable(LIST_MODELS, error_text(error))


def lifecycle_statuses(summaries: list[dict[str, Any]]) -> dict[str, str | None]:
    return {s["modelId"]: (s.get("modelLifecycle") or {}).get("status") for s in summaries}


def end_of_life_dates(summaries: list[dict[str, Any]]) -> dict[str, date]:
    """`modelLifecycle.endOfLifeTime` ("Time when the model is no longer available for use"), where given."""
    found = {}
    for summary in summaries:
        when = (summary.get("modelLifecycle") or {}).get("endOfLifeTime")
        if isinstance(when, datetime):
            found[summary["modelId"]] = when.date()
    return found


def read_region(bedrock: Client, region: str, routed_profiles: Iterable[str]) -> ObservedRegion:
    """Everything the catalog check needs from one Region; `routed_profiles`: the profiles whose destinations the
    catalog states (the configured geographic ones), read with GetInferenceProfile when the Region offers them."""
    try:
        profiles: frozenset[str] | Unreadable = system_defined_profiles(bedrock)
    except ClientError as error:
        profiles = Unreadable(LIST_PROFILES, error_text(error))
    except BotoCoreError as error:
        return ObservedRegion(region, Unreadable(LIST_PROFILES, error_text(error)))
    routes = {}
    if isinstance(profiles, frozenset):
        routes = {pid: routed_regions(bedrock, pid) for pid in dict.fromkeys(routed_profiles) if pid in profiles}
    models = foundation_models(bedrock)
    if isinstance(models, Unreadable):
        return ObservedRegion(region, profiles, routes, models)
    return ObservedRegion(region, profiles, routes, lifecycle_statuses(models), end_of_life_dates(models))
