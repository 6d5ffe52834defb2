"""Keystone in front of the API: keystonemiddleware's `auth_token`, inside the service.

In `keystone` mode every request passes `auth_token` before the API sees it:
it drops the identity headers a client sent (`X-Project-Id`, `X-Roles`,
`X-Identity-Status`, ...), validates `X-Auth-Token` with Keystone and sets
those headers again from the token, so the rules in `auth` only ever read
what Keystone said. `auth_token` runs with `delay_auth_decision`: a request
without a valid token reaches the API marked `X-Identity-Status: Invalid`, so
the API answers it 401 with its own documented error body, and the versions
and OpenAPI description stay readable without a token. Its settings come
from an oslo.config file with a `[keystone_authtoken]` section, as for any
OpenStack service.
"""

import os

from keystoneauth1 import exceptions as ksa_exceptions
from keystonemiddleware import auth_token
from oslo_config import cfg

GROUP = "keystone_authtoken"
PROJECT = "rolling-maintenance"
REQUIRED = ("www_authenticate_uri", "auth_type")


class ConfigError(ValueError):
    """The Keystone configuration is missing or incomplete; the message says what to fix."""


def load_config(config_files):
    """A `cfg.ConfigOpts` read from `config_files`, checked to have what `auth_token` needs."""
    if not config_files:
        raise ConfigError("auth keystone needs a config file with a [%s] section "
                          "(--config-file)" % GROUP)
    for path in config_files:
        if not os.path.isfile(path):
            raise ConfigError("config file %s does not exist" % path)
    conf = cfg.ConfigOpts()
    try:
        conf(args=[], project=PROJECT, default_config_files=list(config_files))
    except cfg.Error as exc:
        raise ConfigError("cannot read %s: %s" % (", ".join(config_files), exc)) from exc
    for group, opts in auth_token.list_opts():
        conf.register_opts(opts, group=group)
    if GROUP not in conf.list_all_sections():
        raise ConfigError("%s has no [%s] section" % (", ".join(config_files), GROUP))
    missing = [name for name in REQUIRED if not conf[GROUP][name]]
    if missing:
        raise ConfigError("[%s] needs %s (in %s)" % (GROUP, " and ".join(missing),
                                                     ", ".join(config_files)))
    return conf


def protect(app, conf):
    """`app` behind `auth_token`, configured from `conf` (a `load_config` result)."""
    conf.set_override("delay_auth_decision", True, group=GROUP)
    try:
        return auth_token.AuthProtocol(app, {"oslo_config_config": conf})
    except ksa_exceptions.MissingRequiredOptions as exc:
        names = ", ".join(opt.dest for opt in exc.options)
        raise ConfigError("[%s] with auth_type %s needs %s"
                          % (GROUP, conf[GROUP].auth_type, names)) from exc
    except ksa_exceptions.NoMatchingPlugin as exc:
        raise ConfigError("[%s] auth_type: %s" % (GROUP, exc)) from exc
