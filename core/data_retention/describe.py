"""The answer to a reviewer's question "Is Claude traffic retained, where, and by whom?", from the configuration.

What each mode means is the user guide's ("Data retention",
https://docs.aws.amazon.com/bedrock/latest/userguide/data-retention.html); the compliance report and the docs call
`describe_retention` so that both say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence

# The configuration's word for "this project leaves the setting alone" (data_retention_mode, data_retention_storage).
UNMANAGED = "unmanaged"

_BY_MODE = {
    "none": "No: zero data retention. Amazon Bedrock writes no request or response data to durable storage and "
    "shares none with the model provider; a model that requires retention is refused",
    "default": "Per model: each model's standard data handling applies; AWS may retain data for safety and "
    "abuse-prevention purposes, the model provider does not receive it",
    "aws_review": "Yes, by AWS: prompts and completions of the models that require it are retained within the AWS "
    "boundary for up to 30 days and may be reviewed by AWS; they are not shared with the model provider",
    "provider_data_share": "Yes (legacy mode): data may be retained and shared with the model provider per its "
    "requirements; AWS recommends aws_review for new configurations",
    "inherit": "Per model: the account sets no mode, so each model's default applies",
}
_BY_STORAGE = {
    "amazon_managed": "retained data is kept in Amazon-managed storage",
    "customer_managed": "retained data is kept in this project's customer-managed bucket and KMS key of each Region "
    "(DataRetentionBucket, DataRetentionKey), which Amazon Bedrock may put, get and delete objects in for this "
    "account only",
    UNMANAGED: "where retained data is kept is not managed by this project (Amazon Bedrock's default unless the "
    "account registered a storage record)",
}


def describe_retention(mode: str, storage: str, regions: Sequence[str]) -> str:
    """One paragraph: whether Claude traffic is retained, where, and by whom, in `regions`."""
    where = ", ".join(regions)
    if mode == UNMANAGED:
        return (
            f"Not managed by this project: the account's data retention mode of each Region ({where}) decides; "
            "read it with `aws bedrock get-account-data-retention` or `make audit`."
        )
    answer = f"{_BY_MODE[mode]} (data_retention_mode={mode}, applied by the logging stack in {where})"
    if mode == "none":
        return answer + "."
    return f"{answer}; {_BY_STORAGE[storage]}."
