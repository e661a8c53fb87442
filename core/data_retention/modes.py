"""Amazon Bedrock's data retention modes: whether prompts and outputs of inference requests are retained.

The mode is a per-Region setting of an account (or a project) (Amazon Bedrock user guide, "Data retention",
https://docs.aws.amazon.com/bedrock/latest/userguide/data-retention.html: "The setting is per-Region: it governs
every request in the Region where you set it and does not propagate to other Regions"), set with
PutAccountDataRetention. The values are botocore's `DataRetentionMode` enum (bedrock 2023-04-20 service model):
"default – The standard data handling for the model applies. none – Zero data retention. aws_review – Amazon Web
Services may review the request data. The data is not shared with the model provider. A model must support this
mode to be invoked under it. provider_data_share – Data may be shared with the model provider. inherit – No data
retention mode is set at this scope." A model that requires retention is blocked while the mode is `none` (same
user guide page); "There is no data retention change to Claude models released before Claude Fable 5".
"""

from __future__ import annotations

from typing import Literal, get_args

DataRetentionMode = Literal["default", "none", "aws_review", "provider_data_share", "inherit"]
DATA_RETENTION_MODES: tuple[DataRetentionMode, ...] = get_args(DataRetentionMode)
# Modes under which prompts and outputs may be kept by AWS or shared with the model provider.
RETAINING_MODES: frozenset[DataRetentionMode] = frozenset({"aws_review", "provider_data_share"})

# From the least to the most retained, as the same user guide page orders them ("none < default < aws_review <
# provider_data_share"; "A model is available to you when your effective mode is at or above the mode that model
# requires"). `inherit` sets nothing at its scope: each model's own default then applies, which this project cannot
# bound, so it ranks last (a change to it is never taken for a stricter one).
MODE_ORDER: tuple[DataRetentionMode, ...] = ("none", "default", "aws_review", "provider_data_share", "inherit")


def at_most(mode: DataRetentionMode) -> tuple[DataRetentionMode, ...]:
    """`mode` and every mode that retains less than it, in MODE_ORDER: what a deployment asking for `mode` may
    put (a rollback may restore a stricter mode, never a looser one)."""
    return MODE_ORDER[: MODE_ORDER.index(mode) + 1]


def strictest(modes: tuple[DataRetentionMode, ...]) -> DataRetentionMode:
    """The mode of `modes` that retains least."""
    return min(modes, key=MODE_ORDER.index)
