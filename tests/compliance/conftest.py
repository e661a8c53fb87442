"""The moto account of the audit, for the audit's, the organization audit's and the deployed report's tests."""

from tests.support.audit_fixtures import aws_session, compliant_account

__all__ = ["aws_session", "compliant_account"]
