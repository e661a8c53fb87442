"""Read-only audit of a live account: is Bedrock invocation logging still what the configuration asks for?

    python app.py audit        (uses the caller's AWS credentials; needs only compliance/audit_policy.json)

For each configured Region the audit reads the model invocation logging configuration and follows it to the
S3 bucket, the CloudWatch Logs group and the delivery role it names, then compares what it finds with
`AppConfig`. Every finding is one `Check` row; an AWS error (AccessDenied, a missing resource) is a FAIL row
with the error code and message, never a traceback. Nothing is written, created or changed.

Rules decided here (docs/compliance.md, "Audit a deployed account", repeats them):
- Delivery flags must equal `log_data` exactly: a configured kind on, every other kind off (more data logged
  than configured, e.g. images, is drift too).
- Log group retention must be at least `log_retention_days`. A group without retention never expires: it keeps
  logs longer than asked, so it passes, and the row says so.
- The log bucket needs an enabled lifecycle rule that expires current objects under each log prefix after at
  least `log_retention_days`. No lifecycle at all fails ("lifecycle removed: retention not enforced"), as does
  any enabled rule that expires logs earlier or on a fixed date.
- Encryption: the log group has a KMS key; the bucket's default encryption is SSE-KMS with a customer managed
  key. Public access: all four bucket-level Public Access Block settings on, and S3 does not rate the bucket
  policy public. Versioning: Enabled.
- The delivery role exists and its trust policy allows bedrock.amazonaws.com and no other principal.
"""

from compliance.audit.checks import Check
from compliance.audit.delivery_role import trusted_principals
from compliance.audit.log_bucket import lifecycle_finding
from compliance.audit.run import main, run_audit

__all__ = ["Check", "lifecycle_finding", "main", "run_audit", "trusted_principals"]
