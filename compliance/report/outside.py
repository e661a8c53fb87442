"""What the templates cannot show, each with the command or console page that confirms it: the report's list "Not
covered by this report". In the as-deployed report, an item the audit checked says what the audit found."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from compliance.report.policies import CONFIRM_ATTACHED, CONFIRM_WHERE, OrganizationPolicy
from compliance.report.retention import SOURCE, RetentionFacts

AUDIT = "`python app.py audit` (or `python app.py report --deployed`)"


@dataclass(frozen=True)
class Outside:
    """One thing the templates cannot show: what it is, why the report needs it, how to confirm it, and the audit
    rows (by name) that confirm it in the as-deployed report."""

    what: str
    why: str
    confirm: str
    audit_rows: tuple[str, ...] = ()


def _policies_item(policies: list[OrganizationPolicy]) -> Outside:
    attached = [p for p in policies if p.targets]
    if attached:
        targets = sorted({t for p in attached for t in p.targets})
        return Outside(
            "The deployed account is under the targets of the organization policies",
            f"the assembly attaches {len(attached)} organization policies to {', '.join(targets)}; they protect an "
            "account only under those targets",
            f"{CONFIRM_ATTACHED} {CONFIRM_WHERE}",
        )
    return Outside(
        "Service Control Policies attached",
        "no template deploys them; without them an administrator of the account may change or delete the logging "
        "configuration, call the unlogged bedrock-mantle endpoint, use API keys, and call Bedrock from Regions "
        "without a logging stack",
        f"compare `python app.py scp` with {CONFIRM_ATTACHED} {CONFIRM_WHERE}; or set `organization_targets` so the "
        "organization stack deploys them",
    )


def outside_items(policies: list[OrganizationPolicy], retention: Mapping[str, RetentionFacts]) -> list[Outside]:
    return [
        _policies_item(policies),
        Outside(
            "CloudTrail records Bedrock's write management events in each Region",
            "the tamper rule hears configuration changes through CloudTrail's events only",
            AUDIT,
            ("cloudtrail.management_events",),
        ),
        Outside(
            "Someone confirmed each alarm subscription",
            "an email subscription stays PendingConfirmation, and silent, until its recipient confirms it",
            f"{AUDIT}, or `aws sns list-subscriptions-by-topic --topic-arn <topic>`",
            ("sns.topic.subscriptions",),
        ),
        Outside(
            "The account's logging configuration is still the one synthesized",
            "anyone allowed to may have changed it since it was deployed",
            AUDIT,
            ("bedrock.logging.configured", "bedrock.logging.matches"),
        ),
        Outside(
            "The Bedrock API keys that exist",
            "the SCPs deny creating keys and calling Bedrock with them while they are attached; the keys themselves "
            "(IAM service-specific credentials) remain until someone deletes them",
            # IAM's ListServiceSpecificCredentials takes AllUsers ("list service specific credentials for all users",
            # the botocore iam model's documentation).
            "`aws iam list-service-specific-credentials --service-name bedrock.amazonaws.com --all-users`",
            ("iam.bedrock_api_keys",),
        ),
        _retention_item(retention),
    ]


def _retention_item(retention: Mapping[str, RetentionFacts]) -> Outside:
    """The mode is per Region: what the templates do not set is the account's own, in a Region they leave unmanaged
    and in every enabled Region outside the report's."""
    unmanaged = sorted(region for region, facts in retention.items() if facts.mode is None)
    managed = sorted(region for region, facts in retention.items() if facts.mode is not None)
    why = (
        "data retention is an account setting per Region that does not propagate to other Regions; a model that "
        f"requires retention is refused under zero retention ({SOURCE})"
    )
    read = "`aws bedrock get-account-data-retention --region <region>`"
    if unmanaged:
        return Outside(
            f"Whether Amazon Bedrock or the model provider retains Claude traffic in {', '.join(unmanaged)}",
            f"{why}; these templates leave it unmanaged there (data_retention_mode=unmanaged)"
            + (f", and set it only in {', '.join(managed)}" if managed else ""),
            f"{read} in each of those Regions, and in every other enabled Region (`aws ec2 describe-regions`)",
            ("bedrock.data_retention.mode",),
        )
    return Outside(
        "The data retention mode of the enabled Regions outside this report",
        f"{why}; these templates set it in {', '.join(managed) or 'no Region'} only",
        f"{read} in every other enabled Region (`aws ec2 describe-regions`); calls there are refused only where the "
        "Region-deny SCP is attached",
    )


def outside_lines(
    policies: list[OrganizationPolicy], retention: Mapping[str, RetentionFacts], audit: dict[str, list[Any]]
) -> list[str]:
    """The list as the report prints it: one line per item, with the audit's rows when the report is as deployed.
    `retention`: each Region's data retention facts."""
    out = []
    for item in outside_items(policies, retention):
        line = f"**{item.what}**: {item.why}. Confirm: {item.confirm}."
        found = _audit_rows(item.audit_rows, audit)
        if found:
            line += f" The audit found: {found}."
        out.append(line)
    return out


def _audit_rows(names: Iterable[str], audit: dict[str, list[Any]]) -> str:
    wanted = set(names)
    rows = [c for checks in audit.values() for c in checks if c.name in wanted]
    return "; ".join(
        f"`{c.name}` {c.result} " + ("account-wide" if c.region == "global" else f"in {c.region}") for c in rows
    )
