"""The comparison: what the catalog expects of one Region against what the account showed there, as rows.

Plain functions over plain data (no boto3): `account.py` turns the account's answers into an `ObservedRegion`,
`expected.py` turns the catalog into `ExpectedModel`s. Which differences FAIL, WARN or inform is decided here and
documented in the package docstring.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from compliance.catalog_check.expected import ExpectedModel

Status = Literal["OK", "FAIL", "WARN", "INFO"]

LIST_PROFILES = "bedrock:ListInferenceProfiles"
GET_PROFILE = "bedrock:GetInferenceProfile"
LIST_MODELS = "bedrock:ListFoundationModels"
# A foundation model ID the catalog may be missing (`anthropic.claude-...`).
CLAUDE_PREFIX = "anthropic.claude"


@dataclass(frozen=True)
class Unreadable:
    """A read the account refused or that did not arrive: the IAM action and `Code: message`."""

    action: str
    error: str


@dataclass(frozen=True)
class ObservedRegion:
    """What one Region's Bedrock control plane showed.

    `profiles`: the SYSTEM_DEFINED inference profile IDs. `routes`: per profile read with GetInferenceProfile, the
    Regions of its foundation-model ARNs (None: the profile was not found). `models`: Anthropic foundation model
    ID -> `modelLifecycle.status` (None when the account gave none); None when not read at all (nothing could be).
    """

    region: str
    profiles: frozenset[str] | Unreadable
    routes: Mapping[str, frozenset[str] | Unreadable | None] = field(default_factory=dict)
    models: Mapping[str, str | None] | Unreadable | None = None
    # Anthropic foundation model ID -> `modelLifecycle.endOfLifeTime`, for the models that have one.
    end_of_life: Mapping[str, date] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    """One row: what the catalog says of a model in a Region, what the account says, and whether that matters."""

    status: Status
    region: str
    model: str
    check: str
    expected: str
    actual: str


def _regions(regions: Iterable[str]) -> str:
    return ", ".join(sorted(regions)) or "none"


def read_failures(observed: ObservedRegion) -> list[Unreadable]:
    """Every read of the Region that failed, in the order they were made."""
    failures = [observed.profiles] if isinstance(observed.profiles, Unreadable) else []
    failures += [route for route in observed.routes.values() if isinstance(route, Unreadable)]
    return failures + ([observed.models] if isinstance(observed.models, Unreadable) else [])


def _read_row(region: str, failure: Unreadable, model: str = "-", check: str = "read") -> Row:
    return Row("FAIL", region, model, check, f"{failure.action} allowed", f"cannot read: {failure.error}")


def _profile_rows(region: str, model: ExpectedModel, observed: ObservedRegion) -> list[Row]:
    if model.profile_id is None:
        return [
            Row("FAIL", region, model.alias, "catalog", f"{model.model_id} offered from {region}", str(model.problem))
        ]
    if isinstance(observed.profiles, Unreadable):
        return []  # the Region's read row says why
    route = observed.routes.get(model.profile_id)
    if model.profile_id not in observed.profiles or (model.destinations is not None and route is None):
        actual = f"missing in the account: calls to {model.profile_id} from {region} would fail"
        return [Row("FAIL", region, model.alias, "profile", model.profile_id, actual)]
    rows = [Row("OK", region, model.alias, "profile", model.profile_id, "present")]
    if model.destinations is None:  # global: every commercial Region; only the profile's presence is compared
        return rows
    if isinstance(route, Unreadable):
        return [*rows, _read_row(region, route, model.alias, "destinations")]
    return rows + _destination_rows(region, model.alias, model.destinations, route or frozenset())


def _destination_rows(region: str, alias: str, catalog: frozenset[str], account: frozenset[str]) -> list[Row]:
    expected = f"catalog: {_regions(catalog)}"
    if account == catalog:
        return [Row("OK", region, alias, "destinations", expected, f"account: {_regions(account)}")]
    rows = []
    if extra := account - catalog:
        actual = f"account routes also to {_regions(extra)}: IAM denies calls routed there"
        rows.append(Row("FAIL", region, alias, "destinations.extra", expected, actual))
    if missing := catalog - account:
        actual = f"catalog expects {_regions(missing)} the account does not route to"
        rows.append(Row("WARN", region, alias, "destinations.missing", expected, actual))
    return rows


def _lifecycle_rows(region: str, model: ExpectedModel, models: Mapping[str, str | None]) -> list[Row]:
    expected = f"catalog: {model.status}"
    if model.model_id not in models:
        if model.status == "end_of_life":
            return [Row("OK", region, model.alias, "lifecycle", expected, "not listed by ListFoundationModels")]
        actual = f"{model.model_id} missing from ListFoundationModels"
        return [Row("WARN", region, model.alias, "lifecycle", expected, actual)]
    account = models[model.model_id]
    if account is None:
        return [Row("WARN", region, model.alias, "lifecycle", expected, "account: no lifecycle status")]
    status: Status = "OK" if account.lower() == model.status else "WARN"
    return [Row(status, region, model.alias, "lifecycle", expected, f"account: {account}")]


def _end_of_life_rows(region: str, model: ExpectedModel, end_of_life: Mapping[str, date]) -> list[Row]:
    """The account's end-of-life date against the catalog's, when the account gives one: the date synthesis
    refuses the model from."""
    account = end_of_life.get(model.model_id)
    if account is None:
        return []
    catalog = model.end_of_life.isoformat() if model.end_of_life else "none"
    status: Status = "OK" if account == model.end_of_life else "WARN"
    return [Row(status, region, model.alias, "lifecycle.end_of_life", f"catalog: {catalog}", f"account: {account}")]


def _newer_rows(region: str, models: Mapping[str, str | None], catalog_ids: frozenset[str]) -> list[Row]:
    """ACTIVE Claude models the catalog lacks (IDs that only add a suffix to a catalog ID are its variants)."""
    rows = []
    for model_id, status in sorted(models.items()):
        known = model_id in catalog_ids or any(model_id.startswith(f"{known}:") for known in catalog_ids)
        if model_id.startswith(CLAUDE_PREFIX) and not known and status == "ACTIVE":
            rows.append(Row("INFO", region, model_id, "newer model", "not in the catalog", f"account: {status}"))
    return rows


def region_rows(expected: Iterable[ExpectedModel], observed: ObservedRegion, catalog_ids: Iterable[str]) -> list[Row]:
    """Every row of one Region: failed reads, then per configured model its profile, destinations and lifecycle,
    then the Claude models the catalog lacks."""
    region = observed.region
    rows = []
    if isinstance(observed.profiles, Unreadable):
        rows.append(_read_row(region, observed.profiles))
    if isinstance(observed.models, Unreadable):
        rows.append(_read_row(region, observed.models))
    for model in expected:
        rows += _profile_rows(region, model, observed)
        if isinstance(observed.models, Mapping):
            rows += _lifecycle_rows(region, model, observed.models)
            rows += _end_of_life_rows(region, model, observed.end_of_life)
    if isinstance(observed.models, Mapping):
        rows += _newer_rows(region, observed.models, frozenset(catalog_ids))
    return rows
