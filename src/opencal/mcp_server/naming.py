"""Tool names: `cal_` + snake_case(operationId), the names agents already know for Cal.com tools."""

from __future__ import annotations

import re

TOOL_PREFIX = "cal_"
_LOWER_THEN_UPPER = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

# Published Cal.com MCP tool lists call the managed-organizations controller `OrganizationsController`
# where the API document says `OrganizationsOrganizationsController`; agents use both names.
_ALIASED_CONTROLLERS = {"OrganizationsOrganizationsController_": "OrganizationsController_"}


def snake(operation_id: str) -> str:
    """`_` between a lowercase letter or digit and a following capital, then lowercase.

    Runs of capitals stay together and existing underscores are kept:
    `OrganizationsUsersOOOController_createOrganizationUserOOO` becomes
    `organizations_users_ooocontroller_create_organization_user_ooo`.
    """
    return _LOWER_THEN_UPPER.sub("_", operation_id).lower()


def tool_name(operation_id: str) -> str:
    return TOOL_PREFIX + snake(operation_id)


def alias_names(operation_id: str) -> list[str]:
    """Other names the operation's tool also answers to."""
    return [
        tool_name(alias + operation_id[len(prefix) :])
        for prefix, alias in _ALIASED_CONTROLLERS.items()
        if operation_id.startswith(prefix)
    ]
