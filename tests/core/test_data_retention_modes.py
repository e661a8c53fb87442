"""The data retention modes are Bedrock's own: botocore's service model is the API AWS ships."""

from __future__ import annotations

import botocore.session

from core.data_retention.modes import DATA_RETENTION_MODES, RETAINING_MODES


def test_the_modes_are_the_apis_enum() -> None:
    model = botocore.session.get_session().get_service_model("bedrock")
    shape = model.operation_model("PutAccountDataRetention").input_shape.members["mode"]
    assert tuple(shape.enum) == DATA_RETENTION_MODES


def test_only_review_and_provider_share_retain() -> None:
    assert {"none", "default", "inherit"}.isdisjoint(RETAINING_MODES)
    assert set(DATA_RETENTION_MODES) >= RETAINING_MODES
