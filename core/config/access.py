"""Configuration section `access_*`: who may assume the invocation role, and what its policy allows."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.config.values import as_bool, as_optional_text, as_principals

DEFAULTS: dict[str, Any] = {
    "access_role_principals": [],
    "access_role_external_id": None,
    "access_allow_streaming": True,
    "access_allow_marketplace_subscription": False,
}

_EXTERNAL_ID = re.compile(r"^[\w+=,.@:/-]{2,1224}$")


@dataclass(frozen=True)
class AccessConfig:
    """The invocation access stack: `InvokePolicy` and the role (`InvokerRole`) callers assume."""

    role_principals: tuple[str, ...]
    role_external_id: str | None
    allow_streaming: bool
    allow_marketplace_subscription: bool


def parse_access(raw: Mapping[str, Any]) -> AccessConfig:
    return AccessConfig(
        role_principals=as_principals("access_role_principals", raw["access_role_principals"]),
        role_external_id=as_optional_text(
            "access_role_external_id",
            raw["access_role_external_id"],
            _EXTERNAL_ID,
            "2-1224 characters of [A-Za-z0-9+=,.@:/-_]",
        ),
        allow_streaming=as_bool("access_allow_streaming", raw["access_allow_streaming"]),
        allow_marketplace_subscription=as_bool(
            "access_allow_marketplace_subscription", raw["access_allow_marketplace_subscription"]
        ),
    )
