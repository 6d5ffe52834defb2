"""The Mistral configuration of the embedded stack.

One process, no broker: the API and the engine run as threads, actions run in
the engine's own local executor, and the in-memory `fake:/` transport carries
the RPC between them. The reasons for each setting are measured facts of
Mistral 23 (see the README, "Embedded Mistral").
"""

import configparser


HEARTBEAT = {
    # Heartbeats stay on: a synchronous action that was running when the
    # process died is failed after about a minute, so a restarted session
    # does not wait for ever and its task can be rerun.
    "max_missed_heartbeats": "6",
    "check_interval": "5",
    "first_heartbeat_timeout": "60",
}


SCHEDULER_DELAY_S = "0.2"


def mistral_config(db_path, host, port, log_file=None, debug=False):
    """Return the mistral.conf text for the embedded stack."""
    conf = configparser.ConfigParser(interpolation=None)
    conf["DEFAULT"] = {
        "transport_url": "fake:/",
        "debug": str(debug),
        "use_stderr": "False" if log_file else "True",
    }
    if log_file:
        conf["DEFAULT"]["log_file"] = log_file
    conf["api"] = {"host": host, "port": str(port), "enable_ssl_api": "False"}
    conf["pecan"] = {"auth_enable": "False"}
    conf["database"] = {"connection": "sqlite:///%s" % db_path}
    conf["executor"] = {"type": "local"}
    conf["notifier"] = {"type": "local"}
    # The cron trigger and event engine poll without waiting and would keep
    # a core busy while idle; the project uses neither.
    conf["cron_trigger"] = {"enabled": "False"}
    conf["action_heartbeat"] = dict(HEARTBEAT)
    # Mistral moves a workflow on (a sub-workflow's end, a with-items item)
    # through delayed calls that its scheduler picks up every `fixed_delay`
    # seconds: 1 s by default, which makes every state change cost a second.
    conf["scheduler"] = {"fixed_delay": SCHEDULER_DELAY_S}
    lines = []
    for section in ["DEFAULT"] + conf.sections():
        lines.append("[%s]" % section)
        for key, value in conf[section].items():
            if section != "DEFAULT" and key in conf["DEFAULT"]:
                continue
            lines.append("%s = %s" % (key, value))
        lines.append("")
    return "\n".join(lines)
