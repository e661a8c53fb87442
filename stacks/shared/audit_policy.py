"""The auditor's read-only policy, `compliance/audit_policy.json`, as the project's own audit roles hold it.

The file is what an operator holds to run `python app.py audit` and `python app.py catalog-check`. The roles that
only audit invocation logging (the continuous audit function, the organization audit role) hold its statements
except the catalog check's (Sids starting with `CatalogCheck`): they never read inference profiles or models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

AUDIT_POLICY = Path(__file__).resolve().parents[2] / "compliance" / "audit_policy.json"
CATALOG_CHECK_SID_PREFIX = "CatalogCheck"


def logging_audit_statements(partition: str) -> list[dict[str, Any]]:
    """The audit's statements, with ARNs in `partition`, without the catalog check's."""
    auditor = json.loads(AUDIT_POLICY.read_text().replace("arn:aws:", f"arn:{partition}:"))
    return [s for s in auditor["Statement"] if not s["Sid"].startswith(CATALOG_CHECK_SID_PREFIX)]
