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


class Team(NamedTuple):
    """A team the function serves through its application inference profiles (`INVOKER_TEAMS`)."""

    name: str
    accounts: frozenset[str]  # account principals: any principal of the account
    roles: frozenset[tuple[str, str]]  # (account, role name): the role's sessions
    users: frozenset[str]  # IAM user ARNs, exactly
    profiles: dict[str, str]  # model alias -> the team's application inference profile ARN
    guardrail: tuple[str, str] | None = None  # (ARN, version) the team's calls apply


def principal_key(principal: str) -> tuple[str, ...] | None:
    """How a configured principal matches callers: ("account", id), ("role", account, name), ("user", ARN); None for
    a service principal, which never calls through a function URL. A role's path is not in its sessions' ARNs, and
    role names are unique in an account, so a role matches by account and name."""
    if principal.isdigit():
        return ("account", principal)
    parts = principal.split(":", 5)
    if len(parts) != 6 or parts[2] != "iam":
        return None
    account, rest = parts[4], parts[5]
    if rest == "root":
        return ("account", account)
    if rest.startswith("role/"):
        return ("role", account, rest.rsplit("/", 1)[-1])
    if rest.startswith("user/"):
        return ("user", principal)
    return None


def team_of(caller: Caller | None, teams: tuple[Team, ...]) -> Team | None:
    """The team `caller` belongs to: the one naming its role or user, else the one naming its account, else none."""
    if caller is None:
        return None
    for team in teams:
        if caller.arn in team.users or (caller.role_name and (caller.account, caller.role_name) in team.roles):
            return team
    return next((team for team in teams if caller.account in team.accounts), None)
