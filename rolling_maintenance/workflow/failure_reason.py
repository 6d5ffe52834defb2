"""Say in one line why a session failed, from the tasks Mistral marked failed.

The admin reads this in `maintenance.session` FAILED and in the execution's
output: which project did not answer or refused, in which state, or which
cloud operation failed and why.
"""

import json

from rolling_maintenance.workflow import contract


def _loads(text):
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _ask_reason(failure):
    asked = failure["workflow_input"]
    state = asked.get("state", "?")
    results = _loads(failure["result"])
    results = results if isinstance(results, list) else []
    refused = [r for r in results if isinstance(r, dict) and str(r.get("state", "")).startswith("NACK_")]
    if refused:
        return "; ".join("project %s refused %s (%s)" % (r.get("project_id"), state, r["state"])
                         for r in refused)
    if "timed out" in (failure["state_info"] or ""):
        answered = {r.get("project_id") for r in results
                    if isinstance(r, dict) and str(r.get("state", "")).startswith("ACK_")}
        missing = [p for p in asked.get("projects", []) if p not in answered]
        window = asked.get("reply_window_s", "?")
        if not missing:
            return ("every project replied to %s, but the question was still open after %s s "
                    "(Mistral did not take a reply; continue resumes the session)" % (state, window))
        return "no reply from project(s) %s to %s within %s s" % (", ".join(missing), state, window)
    errors = [r.get("message") for r in results if isinstance(r, dict) and r.get("message")]
    return "asking the projects about %s failed: %s" % (
        state, "; ".join(errors) or failure["state_info"])


def _error_text(failure):
    result = _loads(failure["result"])
    if isinstance(result, list):
        messages = [r.get("message") for r in result if isinstance(r, dict) and r.get("message")]
        if messages:
            return "; ".join(messages)
    if isinstance(result, dict):
        return result.get("message") or json.dumps(result, sort_keys=True)
    return str(result or failure["state_info"] or "failed")


def describe_failure(failures):
    """One line naming the deepest failed task and what went wrong."""
    if not failures:
        return "the session failed"
    deepest = failures[-1]
    if deepest["task"] == contract.ASK_TASK:
        return _ask_reason(deepest)
    in_plugin = [f for f in failures if f["task"] in contract.PLUGIN_TASKS]
    if in_plugin:
        # A plug-in workflow's own tasks fail deeper: name the plug-in, say their error.
        plugin = in_plugin[-1]["workflow_input"].get("plugin") or {}
        where = in_plugin[-1]["workflow_input"].get("host")
        return "plug-in %s%s failed: %s" % (
            plugin.get("plugin", "?"), " on %s" % where if where else "", _error_text(deepest)[:1000])
    return "%s failed: %s" % (deepest["task"], _error_text(deepest)[:1000])
