"""Projects, users and tokens: the part of Keystone the clients rely on.

The admin user has the admin role in the admin project; every other project
gets a member user named `<project name>-user`. All passwords are `secret`.
"""

import datetime
import uuid

from rolling_maintenance.sim import errors
from rolling_maintenance.sim.model import records
from rolling_maintenance.sim.model.core import (
    ADMIN_PROJECT,
    ADMIN_USER,
    DOMAIN_ID,
    DOMAIN_NAME,
    PASSWORD,
    stable_uuid,
    user_id_for,
)

TOKEN_LIFETIME = datetime.timedelta(hours=12)
ADMIN_ROLES = ["admin", "member", "reader"]
MEMBER_ROLES = ["member", "reader"]


def role_id(name):
    return stable_uuid("role", name).replace("-", "")


def member_user_name(project):
    return "%s-user" % project.name


class IdentityOps:

    def add_project(self, project_id, name=None):
        """Create a project and its member user; the admin project gets the admin."""
        name = name or project_id
        existing = self.projects.get(project_id)
        if existing is not None:
            if name != existing.name:
                raise ValueError("project %s is named both %r and %r" % (project_id, existing.name, name))
            return existing
        clash = next((p for p in self.projects.values() if p.name == name), None)
        if clash is not None:
            raise ValueError("projects %s and %s share the name %r" % (clash.id, project_id, name))
        project = records.Project(id=project_id, name=name)
        self.projects[project_id] = project
        if project_id == ADMIN_PROJECT:
            user = records.User(id=user_id_for(ADMIN_USER), name=ADMIN_USER, password=PASSWORD,
                                default_project_id=project_id, roles={project_id: list(ADMIN_ROLES)})
        else:
            user_name = member_user_name(project)
            user = records.User(id=user_id_for(user_name), name=user_name, password=PASSWORD,
                                default_project_id=project_id, roles={project_id: list(MEMBER_ROLES)})
        self.users[user.id] = user
        return project

    def project_member(self, project_id):
        """The user that logs in to `project_id` (the admin for the admin project)."""
        project = self.projects.get(project_id)
        if project is None:
            raise KeyError("no project %r in the simulator" % (project_id,))
        name = ADMIN_USER if project_id == ADMIN_PROJECT else member_user_name(project)
        return project, self.users[user_id_for(name)]

    def _find_user(self, user_id=None, name=None, domain=None):
        if domain not in (None, DOMAIN_ID, DOMAIN_NAME):
            return None
        if user_id is not None:
            return self.users.get(user_id)
        return next((u for u in self.users.values() if u.name == name), None)

    def _scope_project(self, user, scope):
        if scope is None:
            project_id = user.default_project_id
        elif scope.get("project_id") is not None:
            project_id = scope["project_id"]
        else:
            if scope.get("domain") not in (DOMAIN_ID, DOMAIN_NAME):
                raise errors.Unauthorized("Could not find domain: %s." % scope.get("domain"))
            project = next((p for p in self.projects.values() if p.name == scope.get("project_name")), None)
            if project is None:
                raise errors.Unauthorized("Could not find project: %s." % scope.get("project_name"))
            project_id = project.id
        if project_id not in self.projects:
            raise errors.Unauthorized("Could not find project: %s." % project_id)
        if not user.roles.get(project_id):
            raise errors.Unauthorized(
                "User %s has no access to project %s" % (user.id, project_id))
        return project_id

    def _issue(self, user, project_id, methods, audit_id=None):
        issued = datetime.datetime.now(datetime.UTC)
        token = records.Token(
            id=uuid.uuid4().hex, user_id=user.id, project_id=project_id,
            roles=list(user.roles[project_id]), methods=methods,
            audit_id=audit_id or uuid.uuid4().hex[:22],
            issued_at=issued, expires_at=issued + TOKEN_LIFETIME)
        self.tokens[token.id] = token
        return token

    def authenticate_password(self, password, scope, user_id=None, user_name=None, user_domain=None):
        user = self._find_user(user_id, user_name, user_domain)
        if user is None or password != user.password:
            raise errors.Unauthorized("The request you have made requires authentication.")
        return self._issue(user, self._scope_project(user, scope), ["password"])

    def authenticate_token(self, token_id, scope):
        """Re-scope an existing token, as keystoneauth's v3token plugin does."""
        old = self.validate_token(token_id)
        user = self.users[old.user_id]
        return self._issue(user, self._scope_project(user, scope), ["token"] + old.methods[:1])

    def validate_token(self, token_id):
        token = self.tokens.get(token_id or "")
        if token is None or token.expires_at <= datetime.datetime.now(datetime.UTC):
            raise errors.Unauthorized("The request you have made requires authentication.")
        return token

    def revoke_token(self, token_id):
        self.validate_token(token_id)
        del self.tokens[token_id]

    def actor_for(self, token, request_id):
        return records.Actor(user_id=token.user_id, project_id=token.project_id,
                             request_id=request_id, is_admin="admin" in token.roles)
