"""Who may do what: roles, actions, and the check every route goes through."""

from __future__ import annotations

from dataclasses import dataclass, field

from backend.schemas.limits import INT_MAX
from backend.services.kernel.errors import Forbidden, NotFound, Unauthorised
from backend.storage.db import Connection, Session
from backend.storage.queries.accounts import roles_of
from backend.storage.queries.organisations import ORGANISATION_OF, organisation_of_entity

# A user's own role: admins may do everything everywhere, consultants may also create organisations.
USER_ROLES = ("admin", "consultant", "member", "viewer")
# A role within one organisation.
MEMBER_ROLES = ("consultant", "member", "viewer")
ALLOWED: dict[str, frozenset[str]] = {
    "viewer": frozenset({"view"}),
    "member": frozenset({"view", "answer", "plan", "assess", "export"}),
    "consultant": frozenset({"view", "answer", "plan", "assess", "export", "manage", "audit", "workshop"}),
}
ORG_ACTIONS = frozenset().union(*ALLOWED.values())
# Rules that do not depend on an organisation.
GLOBAL_RULES = frozenset({"public", "signed_in", "create_organisation", "admin"})
# The path parameters that lead to an organisation, most specific first.
ENTITY_KEYS = ("assessment_id", "link_id", "organisation_id")


@dataclass(frozen=True)
class Actor:
    """A signed-in user and their role in each organisation."""

    user_id: int
    email: str
    role: str
    roles: dict[int, str] = field(default_factory=dict)
    # The user's password epoch: a session signed with an older one is no longer valid.
    epoch: int = 0

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def can(self, organisation_id: int, action: str) -> bool:
        """Whether this user may do `action` in the organisation."""
        return self.is_admin or action in ALLOWED.get(self.roles.get(organisation_id, ""), frozenset())

    def sees(self, organisation_id: int) -> bool:
        """Whether the organisation exists for this user at all."""
        return self.is_admin or organisation_id in self.roles


def actor_of(db: Session | Connection, user, roles: dict[int, str] | None = None) -> Actor:
    """The actor for a user (a row or any object with id, email, role, session_epoch), with their
    roles: those given, else read."""
    roles = roles_of(db, user.id) if roles is None else roles
    return Actor(user_id=user.id, email=user.email, role=user.role, roles=roles, epoch=user.session_epoch)


def check_global(actor: Actor | None, rule: str) -> None:
    """Refuse a route that needs a signed-in user, a creator of organisations or an admin."""
    if rule == "public":
        return
    if actor is None:
        raise Unauthorised(
            "sign in first: send your session cookie, or 'Authorization: Bearer <token>' from POST /api/v1/auth/token"
        )
    if rule == "create_organisation" and actor.role not in ("admin", "consultant"):
        raise Forbidden("only admins and consultants create organisations; ask an admin to make you a consultant")
    if rule == "admin" and not actor.is_admin:
        raise Forbidden("only an admin may do this")


def check_organisation(actor: Actor | None, organisation_id: int | None, action: str, what: str) -> None:
    """404 when the organisation is not the actor's (never reveal another client's ids), 403 when
    it is but the role does not allow the action."""
    check_global(actor, "signed_in")
    if organisation_id is None or not actor.sees(organisation_id):
        raise NotFound(f"{what} not found", field=what.split()[0] + "_id")
    if not actor.can(organisation_id, action):
        role = actor.roles.get(organisation_id)
        raise Forbidden(
            f"your role here ({role}) cannot {action} in this organisation; ask one of its consultants for a role that can"
        )


def organisation_of(db: Session | Connection, key: str, entity_id: int) -> int | None:
    """The organisation an assessment or share link belongs to (an organisation is its own)."""
    if not 0 < entity_id <= INT_MAX:
        return None  # no row has such an id, and the database would refuse to look for one
    if key == "organisation_id":
        return entity_id
    if key not in ORGANISATION_OF:
        raise ValueError(f"no rule to find the organisation of '{key}'")
    return organisation_of_entity(db, key, entity_id)


def authorise(db: Session | Connection, actor: Actor | None, rule: str, path_params: dict) -> None:
    """Apply a route's rule: a global one, or an organisation action on the entity in its path."""
    if rule in GLOBAL_RULES:
        check_global(actor, rule)
        return
    if rule not in ORG_ACTIONS:
        raise ValueError(f"unknown access rule '{rule}'")
    key = next((k for k in ENTITY_KEYS if k in path_params), None)
    if key is None:
        raise ValueError(f"rule '{rule}' needs one of {ENTITY_KEYS} in the path")
    check_global(actor, "signed_in")
    entity_id = int(path_params[key])
    organisation = organisation_of(db, key, entity_id)
    check_organisation(actor, organisation, rule, f"{key.removesuffix('_id').replace('_', ' ')} {entity_id}")
