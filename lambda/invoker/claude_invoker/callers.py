"""Who called the function: the IAM principal Lambda authenticated for a function URL request, or nobody it can name.

A plain `lambda:InvokeFunction` does not tell the function who invoked it: such calls are attributed to nobody
(`UNAUTHENTICATED`), and only the caller's own assertion (`metadata.user_id`) goes with them. Through the function
URL with AWS_IAM auth, Lambda authenticates the request's SigV4 signature and passes the principal in the event
(`requestContext.authorizer.iam`: `userArn`, `accountId`, `principalOrgId`), which the caller cannot forge.
"""

from __future__ import annotations

from typing import NamedTuple

# The value of `attribution` (log field and request metadata) for each kind of call.
AUTHENTICATED = "authenticated"
UNAUTHENTICATED = "unauthenticated"
# The Caller metric dimension of calls made without the function URL.
NO_CALLER = "unauthenticated"


class Caller(NamedTuple):
    """The principal of a function URL request, as Lambda's IAM authorizer context gives it."""

    arn: str  # userArn: an IAM user, a role session (arn:aws:sts::<account>:assumed-role/<role>/<session>), root...
    account: str  # accountId
    org_id: str | None = None  # principalOrgId: the principal's organization, None outside one

    @property
    def identity(self) -> str:
        """The ARN with an assumed role's session name left out (`arn:aws:sts::<account>:assumed-role/<role>`):
        sessions come and go (one per Lambda container, per EC2 credential refresh), the role stays; metrics use
        this, so a role is one series however many sessions it opens."""
        head, _, session_path = self.arn.partition(":assumed-role/")
        if not session_path:
            return self.arn
        return f"{head}:assumed-role/{session_path.split('/', 1)[0]}"

    @property
    def role_name(self) -> str | None:
        """The role of an assumed-role session (an assumed-role ARN names the role without its path), else None."""
        _, _, session_path = self.arn.partition(":assumed-role/")
        return session_path.split("/", 1)[0] if session_path else None
