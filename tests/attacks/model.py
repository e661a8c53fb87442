"""What an attack step is, as data: the attacker, the calls as IAM authorizes them, the calls as CloudTrail records
them, and what the catalog claims happens (denied by which policy statements, heard by which rules, or residual).

Values in braces are read from the synthesized stacks and the configuration a step is evaluated under
(`tests/attacks/names.py`): `{bucket}` is the log bucket's name, `{region}` the configured Region, and so on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["change", "bypass", "blind", "destroy"]
# change: a setting the project manages; bypass: call Claude where nothing logs it, or borrow an exemption;
# blind: a guard that would notice; destroy: what the guards keep.
KINDS: tuple[Kind, ...] = ("change", "bypass", "blind", "destroy")

# An ordinary administrator of a member account (AdministratorAccess), unless a step names another attacker.
ADMINISTRATOR = "arn:aws:iam::{account}:role/Administrator"
# What every resource of the stacks carries (`Tags.of(stack)`), as a request on one of them presents it.
PROJECT_TAG = {"aws:ResourceTag/project": "claude-on-bedrock"}


@dataclass(frozen=True)
class Call:
    """One request as IAM authorizes it: the action, the resource's ARN and the request context beyond the
    principal's own keys and `aws:RequestedRegion` (the configured Region unless given)."""

    action: str
    resource: str = "*"
    context: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    """The same step as CloudTrail records it and EventBridge delivers it: the service (`s3` for
    `s3.amazonaws.com`), the event name and the request parameters. `region` is where EventBridge receives it when
    that is not the Region of the call: IAM's events reach the default bus of us-east-1 only."""

    source: str
    name: str
    request: dict[str, Any] = field(default_factory=dict)
    region: str | None = None


@dataclass(frozen=True)
class Step:
    """One attacker step and the catalog's claim about it.

    `denied_by`: the statement IDs (`fnmatch` patterns where the scope names them) of the printed and deployed SCPs
    and RCPs that deny at least one of its calls; `heard_by`: the construct IDs of the logging stack's rules that
    match its events; `residual`: when neither, why, and what mitigates it.
    """

    kind: Kind
    name: str
    calls: tuple[Call, ...]
    events: tuple[Event, ...]
    denied_by: tuple[str, ...] = ()
    heard_by: tuple[str, ...] = ()
    residual: str = ""
    note: str = ""
    attacker: str = ADMINISTRATOR

    @property
    def outcome(self) -> str:
        claims = [word for word, claimed in (("prevented", self.denied_by), ("detected", self.heard_by)) if claimed]
        return " and ".join(claims) or "residual"
