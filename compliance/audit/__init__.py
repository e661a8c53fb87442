"""Read-only audit of a live account: is Bedrock invocation logging still what the configuration asks for?

    python app.py audit        (uses the caller's AWS credentials; needs only compliance/audit_policy.json)

For each configured Region the audit reads the model invocation logging configuration and follows it to the
S3 bucket, the CloudWatch Logs group (and its stream), the delivery role and the KMS keys it names, then checks what
guards it (the tamper-detection rule, the delivery-failure alarms, who is subscribed, CloudTrail, the bucket policy's
denies), and compares what it finds with `Expectations` (`audit_region`). Once per account (`audit_account`): every
other enabled Region where Bedrock can be called has logging, and no long-term Bedrock API key is active. Every
finding is one `Check` row (PASS, FAIL, or a passing WARN or INFO row a reader must see); an AWS error
(AccessDenied, a missing resource) is a FAIL row with the error code and message, never a traceback. Nothing is
written, created or changed (the continuous audit's optional self-repair lives in its function, not here).

Rules decided here (docs/compliance/audit.md repeats them):
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
- With the deployed configuration known (the continuous audit), it must be exactly that one.
- The log stream `aws/bedrock/modelinvocations` exists once a call was logged (log objects in the bucket say so).
- Each log key is Enabled and customer managed, rotates, and lets kms:Decrypt only the account, Bedrock, CloudWatch
  Logs of the Region and the bucket's replication role: another reader fails.
- Every enabled Region outside `regions` where Bedrock can be called has logging; a Region whose read an SCP refuses
  is a WARN (the audit cannot see whether invocations are refused too).
- An active long-term Bedrock API key (an IAM service-specific credential) fails; an inactive or expired one is INFO.
- Guards: an enabled EventBridge rule that EventBridge says matches a Put and a Delete by an administrator, with
  an SNS target; an alarm with actions on each Bedrock delivery-failure metric; each topic of this account they
  notify has a confirmed subscription; a logging trail covering the Region records write management events of
  Bedrock; the bucket policy denies writes except to Bedrock and denies deletes (break-glass exemption allowed).
"""

from compliance.audit.account import audit_account
from compliance.audit.checks import Check
from compliance.audit.delivery_role import trusted_principals
from compliance.audit.expectations import Expectations
from compliance.audit.log_bucket import lifecycle_finding
from compliance.audit.region import audit_region

# The command line (`compliance.audit.run`: run, run_audit) reads the app's configuration; it is not imported here,
# so the continuous audit function ships this package without it.
__all__ = ["Check", "Expectations", "audit_account", "audit_region", "lifecycle_finding", "trusted_principals"]
