"""Read-only check of the model catalog against a live account: does what synthesizes also work there?

    python app.py catalog-check [--json]   (the caller's credentials; compliance/audit_policy.json suffices)

The catalog (core/catalog/claude_models.py, core/catalog/lookup.py) decides which profile each configured model is
called through and which destination Regions IAM allows; a wrong entry deploys cleanly and fails at the first call.
For each Region in `regions` and each model in `models` under `endpoint_scope`, the check reads the account
(account.py), asks the catalog (expected.py) and prints one row per (Region, model, check) (compare.py): OK, FAIL,
WARN or INFO.

What breaks a configured deployment (FAIL, exit code 1):
- `profile`: the account does not offer the profile (`<scope>.<model ID>`): every call through it would fail.
- `destinations.extra`: the profile routes to a Region the catalog does not list. The invoke policy allows exactly
  the catalog's destinations, so a call Bedrock routes there is denied.
- `catalog`: the catalog cannot resolve the configured model from the Region.
- `read`: a read failed (denied, no credentials, no endpoint): nothing can be said, as in the audit. One line per
  failed read names the action and the Region on standard error.

What does not break it (exit code 0):
- WARN `destinations.missing`: the catalog lists a destination the profile does not route to; IAM allows more
  than needed, calls work. The catalog is stale.
- WARN `lifecycle`: the account's `modelLifecycle.status` differs from the catalog's reading (active, legacy, or
  end of life past its end-of-life date), e.g. LEGACY in the account and active in the catalog, or LEGACY in the account
  and end of life in the catalog; or the model is missing from ListFoundationModels. Calls go through the
  profile, which is checked on its own: these mark a stale catalog, not a broken deployment.
- WARN `lifecycle.end_of_life`: the account's `modelLifecycle.endOfLifeTime` differs from the catalog's end-of-life
  date (the day synthesis starts refusing the model). Only where the account gives a date.
- INFO `newer model`: an ACTIVE `anthropic.claude…` foundation model the catalog lacks (an ID that only adds a
  suffix to a catalog ID, e.g. a provisioned-throughput variant `…:0:200k`, is that model). LEGACY ones it lacks
  are models it dropped and are not listed.

For the `global` profile only its presence is compared: its destinations are every commercial Region.

`--propose` (propose.py) prints instead the catalog entries of the Claude models the account shows the catalog lacks
or describes differently, as Python source to review against the models' cards.
"""

from compliance.catalog_check.compare import ObservedRegion, Row, Unreadable, region_rows
from compliance.catalog_check.expected import ExpectedModel, catalog_status, expected_models

__all__ = ["ExpectedModel", "ObservedRegion", "Row", "Unreadable", "catalog_status", "expected_models", "region_rows"]
