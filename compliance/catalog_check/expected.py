"""What the catalog says of each configured model in one Region; the only module of the check that reads the catalog.

`resolve` gives the profile ID and the destination foundation-model ARNs the deployment's IAM allows;
`catalog_status` is the one place that reads the catalog's lifecycle fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from core.catalog.lookup import CatalogError, resolve
from core.catalog.models import ClaudeModel
from core.catalog.scopes import GLOBAL

CatalogStatus = Literal["active", "legacy", "end_of_life"]


def catalog_status(model: ClaudeModel, today: date) -> CatalogStatus:
    """The catalog's lifecycle reading of `model` on `today`: past its end-of-life date, legacy, or active."""
    return model.lifecycle.status_on(today)


def region_of(foundation_model_arn: str) -> str:
    """`arn:<partition>:bedrock:<region>::foundation-model/<id>` -> `<region>` ("" for the Region-less ARN)."""
    return foundation_model_arn.split(":")[3]


@dataclass(frozen=True)
class ExpectedModel:
    """One configured model as the catalog resolves it from one source Region."""

    alias: str
    model_id: str
    status: CatalogStatus
    # None when the catalog cannot resolve the model from this Region (`problem` says why).
    profile_id: str | None
    # Regions the deployment's IAM allows the profile to route to; None for `global` (every commercial Region:
    # only the profile's presence is compared).
    destinations: frozenset[str] | None
    problem: str | None = None
    end_of_life: date | None = None  # the catalog's end-of-life date on Bedrock


def expected_model(model: ClaudeModel, endpoint_scope: str, region: str, account: str, today: date) -> ExpectedModel:
    status = catalog_status(model, today)
    end = model.lifecycle.end_of_life_on
    try:
        resolved = resolve(model, endpoint_scope, region, account)
    except CatalogError as error:
        return ExpectedModel(model.alias, model.model_id, status, None, None, str(error), end)
    if endpoint_scope == GLOBAL:
        return ExpectedModel(model.alias, model.model_id, status, resolved.profile_id, None, end_of_life=end)
    destinations = frozenset(region_of(arn) for arn in resolved.foundation_model_arns)
    return ExpectedModel(model.alias, model.model_id, status, resolved.profile_id, destinations, end_of_life=end)


def expected_models(
    models: tuple[ClaudeModel, ...], endpoint_scope: str, region: str, account: str, today: date
) -> list[ExpectedModel]:
    """Every configured model, in configured order."""
    return [expected_model(model, endpoint_scope, region, account, today) for model in models]
