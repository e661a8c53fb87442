"""Configuration section `data_retention_*`: the account's data retention mode and retention storage per Region.

- `data_retention_mode`: one of Amazon Bedrock's modes (core.data_retention.modes), applied in every Region of
  `regions` by the logging stack's provider, or `unmanaged` (the project leaves the setting alone).
- `data_retention_storage`: where retained data of Anthropic's models is kept: `unmanaged`, `amazon_managed`, or
  `customer_managed` (a bucket and key the logging stack provisions in each Region).
- `data_retention_storage_actions`: the IAM actions that authorize PutAccountDataRetentionStorage and
  GetAccountDataRetentionStorage, `{"put": ..., "get": ...}`. No AWS page we could read names them
  (core.data_retention.requests), so they are the user's to copy from the Service Authorization Reference;
  required when the storage is managed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.config.values import ConfigError, as_choice, fail
from core.data_retention.describe import UNMANAGED
from core.data_retention.modes import DATA_RETENTION_MODES, DataRetentionMode
from core.data_retention.requests import STORAGE_DESTINATIONS, StorageDestination

DEFAULTS: dict[str, Any] = {
    "data_retention_mode": "none",
    "data_retention_storage": UNMANAGED,
    "data_retention_storage_actions": None,
}
MODE_CHOICES = (*DATA_RETENTION_MODES, UNMANAGED)
STORAGE_CHOICES = (UNMANAGED, *STORAGE_DESTINATIONS)
_ACTION = re.compile(r"^bedrock:[A-Za-z]+$")
_ACTIONS_EXAMPLE = '{"put": "bedrock:<action>", "get": "bedrock:<action>"}'


@dataclass(frozen=True)
class StorageActions:
    """The IAM actions of PutAccountDataRetentionStorage (`put`) and GetAccountDataRetentionStorage (`get`)."""

    put: str
    get: str


@dataclass(frozen=True)
class DataRetentionConfig:
    """What the logging stack of every Region sets, and what the audit expects."""

    # A DataRetentionMode, or None: `unmanaged`.
    mode: DataRetentionMode | None
    # A storage destination, or None: `unmanaged`.
    storage: StorageDestination | None
    storage_actions: StorageActions | None

    @property
    def mode_text(self) -> str:
        return self.mode or UNMANAGED

    @property
    def storage_text(self) -> str:
        return self.storage or UNMANAGED


def parse_data_retention(raw: Mapping[str, Any]) -> DataRetentionConfig:
    mode = as_choice("data_retention_mode", raw["data_retention_mode"], MODE_CHOICES)
    storage = as_choice("data_retention_storage", raw["data_retention_storage"], STORAGE_CHOICES)
    actions = _storage_actions(raw["data_retention_storage_actions"])
    if storage != UNMANAGED and actions is None:
        raise ConfigError(
            f"data_retention_storage_actions: unset; with data_retention_storage={storage} the provider needs the IAM "
            "actions of PutAccountDataRetentionStorage and GetAccountDataRetentionStorage: set "
            f"{_ACTIONS_EXAMPLE} from the Service Authorization Reference for Amazon Bedrock"
        )
    return DataRetentionConfig(
        mode=None if mode == UNMANAGED else _mode(mode),
        storage=None if storage == UNMANAGED else _destination(storage),
        storage_actions=actions,
    )


def _mode(value: str) -> DataRetentionMode:
    return next(mode for mode in DATA_RETENTION_MODES if mode == value)


def _destination(value: str) -> StorageDestination:
    return next(destination for destination in STORAGE_DESTINATIONS if destination == value)


def _storage_actions(value: Any) -> StorageActions | None:
    key = "data_retention_storage_actions"
    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise fail(key, value, f"a JSON object such as {_ACTIONS_EXAMPLE} ({error.msg})") from None
    if not isinstance(value, dict) or set(value) != {"put", "get"}:
        raise fail(key, value, f"an object with exactly the keys put and get, such as {_ACTIONS_EXAMPLE}")
    for name, action in value.items():
        if not isinstance(action, str) or not _ACTION.match(action):
            raise fail(f"{key}.{name}", action, "one IAM action of Amazon Bedrock, such as bedrock:<action>")
    return StorageActions(put=value["put"], get=value["get"])
