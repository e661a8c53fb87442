"""How long invocation logs live, and what deleting a stack does to them."""

from __future__ import annotations

# The source document asks for invocation logs kept at least 30 days, rolling.
MIN_LOG_RETENTION_DAYS = 30
# CloudWatch Logs accepts only these retention periods (PutRetentionPolicy), from the minimum up.
LOG_RETENTION_CHOICES = (30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
# Overwritten or deleted log objects stay recoverable this long: time to notice tampering, short for privacy.
NONCURRENT_VERSION_DAYS = 7
# `retain` keeps logs, keys and log groups when a stack is deleted; `destroy` is for sandboxes.
REMOVAL_POLICIES = ("retain", "destroy")
OBJECT_LOCK_MODES = ("off", "governance", "compliance")
