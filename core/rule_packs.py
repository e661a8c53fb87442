"""The compliance rule packs every synthesis runs (cdk-nag), by the names their findings carry."""

from __future__ import annotations

AWS_SOLUTIONS = "AwsSolutions"
HIPAA = "HIPAA.Security"
NIST = "NIST.800.53.R5"
PCI = "PCI.DSS.321"
PACK_NAMES = (AWS_SOLUTIONS, HIPAA, NIST, PCI)
# The three packs whose rules share names (e.g. `S3BucketReplicationEnabled`); AwsSolutions names its own.
REGULATORY_PACKS = (HIPAA, NIST, PCI)
