"""Notification options: action parameters win over the environment; bad ones are named."""

import pytest

from rolling_maintenance.notify import config


def test_defaults_are_the_embedded_ones():
    conf = config.NotifyConfig.build(environ={})
    assert (conf.driver, conf.event_type, conf.api_url) == ("webhook", "maintenance.scheduled", None)


def test_environment_then_parameters():
    env = {"ROLLING_MAINTENANCE_NOTIFY_DRIVER": "messaging",
           "ROLLING_MAINTENANCE_EVENT_TYPE": "maintenance.planned",
           "ROLLING_MAINTENANCE_TRANSPORT_URL": "rabbit://guest:guest@127.0.0.1:5672/",
           "ROLLING_MAINTENANCE_API_URL": "http://127.0.0.1:12347"}
    conf = config.NotifyConfig.build(environ=env)
    assert conf.driver == "messaging" and conf.event_type == "maintenance.planned"
    assert conf.require_api_url() == "http://127.0.0.1:12347"
    overridden = config.NotifyConfig.build(environ=env, driver="webhook", event_type=None,
                                           api_url="http://127.0.0.1:1")
    assert overridden.driver == "webhook"
    assert overridden.event_type == "maintenance.planned"
    assert overridden.api_url == "http://127.0.0.1:1"


@pytest.mark.parametrize("env, params, words", [
    ({"ROLLING_MAINTENANCE_NOTIFY_DRIVER": "email"}, {}, "ROLLING_MAINTENANCE_NOTIFY_DRIVER"),
    ({}, {"driver": "messaging"}, "ROLLING_MAINTENANCE_TRANSPORT_URL"),
    ({}, {"colour": "red"}, "colour"),
    ({}, {"event_type": " "}, "event_type"),
    ({}, {"timeout_s": 0}, "timeout_s"),
])
def test_bad_options_are_named(env, params, words):
    with pytest.raises(config.ConfigError, match=words):
        config.NotifyConfig.build(environ=env, **params)


def test_missing_api_url_says_how_to_set_it():
    with pytest.raises(config.ConfigError, match="ROLLING_MAINTENANCE_API_URL"):
        config.NotifyConfig.build(environ={}).require_api_url()
