"""Inference-profile scopes: the global profile and the geographic cross-Region (CRIS) families.

Which Regions each model's profile is called from and routes to is per model (`core.catalog.claude_models`): AWS's model
cards list different Regions for different models under the same scope.
"""

from __future__ import annotations

GLOBAL = "global"
GEOGRAPHIES = ("us", "eu", "jp", "apac", "au")
SCOPES = (GLOBAL, *GEOGRAPHIES)


def partition_of(region: str) -> str:
    """The ARN partition of a Region name."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"
