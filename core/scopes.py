"""Inference-profile scopes: the global profile and the geographic cross-Region (CRIS) families.

Sources: the Amazon Bedrock user guide, "Supported Regions and models for inference profiles" and the Claude
model cards' "Regions" tables (Sonnet 4.5 and 4.6 for `us`, `eu`, `jp`, `au`; Sonnet 4 and 3.7 for `apac`).
"""

from __future__ import annotations

from dataclasses import dataclass

GLOBAL = "global"
GEOGRAPHIES = ("us", "eu", "jp", "apac", "au")
SCOPES = (GLOBAL, *GEOGRAPHIES)


@dataclass(frozen=True)
class Geography:
    """A geographic cross-Region inference (CRIS) profile family."""

    prefix: str
    # Regions Bedrock routes to from every source Region of the geography.
    base_destinations: tuple[str, ...]
    # Source Regions that add themselves to the destinations (AWS model cards, "Regions" tables).
    extra_sources: tuple[str, ...] = ()

    @property
    def source_regions(self) -> tuple[str, ...]:
        return self.base_destinations + self.extra_sources

    def destinations_from(self, source_region: str) -> tuple[str, ...]:
        """Regions a request sent from `source_region` may be served in; IAM must allow the model there."""
        extra = (source_region,) if source_region in self.extra_sources else ()
        return self.base_destinations + extra


GEOGRAPHY_REGIONS: dict[str, Geography] = {
    "us": Geography("us", ("us-east-1", "us-east-2", "us-west-2"), ("us-west-1", "ca-central-1")),
    "eu": Geography(
        "eu",
        ("eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3"),
        ("eu-central-2", "eu-west-2"),
    ),
    "jp": Geography("jp", ("ap-northeast-1", "ap-northeast-3")),
    "au": Geography("au", ("ap-southeast-2", "ap-southeast-4"), ("ap-southeast-6",)),
    # The apac family as AWS listed it for Claude Sonnet 4 and 3.7.
    "apac": Geography(
        "apac",
        (
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-4",
        ),
    ),
}

# Commercial Regions from which the global profile is documented as callable.
GLOBAL_SOURCE_REGIONS = (
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "sa-east-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-4",
)


def source_regions(scope: str) -> tuple[str, ...]:
    """Regions a caller may send requests from under `scope`."""
    return GLOBAL_SOURCE_REGIONS if scope == GLOBAL else GEOGRAPHY_REGIONS[scope].source_regions


def partition_of(region: str) -> str:
    """The ARN partition of a Region name."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"
