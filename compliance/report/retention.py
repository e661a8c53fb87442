"""What the templates of one Region say about Amazon Bedrock data retention: the mode they set, where retained data
is stored, and which of the models they allow require retention.

The mode is a per-Region account setting that "governs every request in the Region where you set it and does not
propagate to other Regions"; "If your account or project is configured for zero data retention and you invoke a model
that requires retention, Amazon Bedrock will block the request" (Amazon Bedrock user guide, "Data retention",
https://docs.aws.amazon.com/bedrock/latest/userguide/data-retention.html). The stacks apply `data_retention_mode` and
`data_retention_storage` as custom resources of the logging provider (stacks/data_retention/settings.py); with
`unmanaged` there is no resource, and the templates cannot tell what the account's setting is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from compliance.report.cloud_assembly import Names
from core.catalog.lookup import Catalog
from core.catalog.models import ClaudeModel
from core.data_retention.describe import UNMANAGED
from core.retention_fit import admits, modes_text

SOURCE = "https://docs.aws.amazon.com/bedrock/latest/userguide/data-retention.html"
# The custom resources that apply the mode and the storage record (stacks/data_retention/settings.py).
MODE_TYPE = "Custom::BedrockDataRetention"
STORAGE_TYPE = "Custom::BedrockDataRetentionStorage"
_MODEL = re.compile(r"(?:foundation-model|inference-profile)/([\w.:-]+)$")


def confirm_command(region: str) -> str:
    """The read that shows the account's mode in `region` (IAM action bedrock:GetAccountDataRetention)."""
    return f"`aws bedrock get-account-data-retention --region {region}`"


@dataclass(frozen=True)
class ModelRetention:
    """One model the Region's policies allow invoking, as the catalog knows it (None: not in the catalog, e.g. an
    `extra_models` entry, whose requirement the report cannot tell)."""

    name: str
    model: ClaudeModel | None

    @property
    def requires(self) -> str:
        """The modes its card lets it run under ("" for any mode), or "unknown"."""
        return modes_text(self.model) if self.model is not None else "unknown"

    def admitted(self, mode: str | None) -> bool | None:
        """Whether `mode` lets the model run; None when that cannot be told (no mode set, or an unknown model)."""
        if mode is None or self.model is None:
            return None
        return admits(mode, self.model)


@dataclass
class RetentionFacts:
    mode: str | None = None  # None: no template sets it (data_retention_mode=unmanaged)
    mode_resource: str = ""
    kept_on_stack_deletion: bool = False
    storage: str | None = None  # amazon_managed, customer_managed; None: not managed
    storage_bucket: str = ""
    storage_key: str = ""
    models: list[ModelRetention] = field(default_factory=list)

    @property
    def requiring(self) -> list[ModelRetention]:
        return [m for m in self.models if m.requires]

    @property
    def refused(self) -> list[ModelRetention]:
        """Allowed models the mode blocks."""
        return [m for m in self.models if m.admitted(self.mode) is False]

    @property
    def mode_text(self) -> str:
        return self.mode or UNMANAGED

    @property
    def storage_text(self) -> str:
        return self.storage or UNMANAGED


def read_retention_facts(resources: dict[str, Any], facts: RetentionFacts, names: Names, region: str) -> None:
    for logical_id, declared in resources.items():
        props = declared.get("Properties", {})
        if declared.get("Type") == MODE_TYPE and "Mode" in props:
            facts.mode = str(names.text(props["Mode"], region))
            facts.mode_resource = names.where(logical_id)
            facts.kept_on_stack_deletion = declared.get("DeletionPolicy") == "Retain"
        elif declared.get("Type") == STORAGE_TYPE and "Storage" in props:
            request = json.loads(str(names.text(props["Storage"], region)))
            facts.storage = str(request.get("storageDestination", "")) or None
            configuration = request.get("storageConfiguration") or {}
            facts.storage_bucket = str(configuration.get("s3BucketArn", ""))
            facts.storage_key = str(configuration.get("kmsKeyArn", ""))


def allowed_models(granted: Iterable[str]) -> list[ModelRetention]:
    """The models of the ARNs the Region's identity policies allow invoking, each once, with their requirement."""
    found: dict[str, ModelRetention] = {}
    catalog = Catalog()
    for arn in granted:
        match = _MODEL.search(arn)
        if not match or "*" in match.group(1):
            continue
        model = catalog.find(match.group(1))
        name = model.alias if model is not None else match.group(1)
        found.setdefault(name, ModelRetention(name, model))
    return sorted(found.values(), key=lambda m: m.name)
