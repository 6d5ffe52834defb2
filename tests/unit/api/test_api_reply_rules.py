"""The reply rules over a fake Mistral: what is accepted, what is refused.

Every refusal must leave the waiting action execution untouched.
"""

import json
import threading

import pytest

from api_fake_mistral import EPOCH_NOW, FakeMistral
from rolling_maintenance.api import errors
from rolling_maintenance.api import reply_service
from rolling_maintenance.mistral import asks


class Clock:
    def __init__(self, now=EPOCH_NOW):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def mistral():
    return FakeMistral()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def service(mistral, clock):
    return reply_service.ReplyService(asks.MistralAsks(mistral), clock=clock)


def put(service, body, session_id="s-1", project_id="p-1"):
    return service.reply(session_id, project_id, json.dumps(body).encode())


def refused(service, body, status, session_id="s-1", project_id="p-1"):
    with pytest.raises(errors.ApiError) as caught:
        if isinstance(body, (bytes, str)):
            service.reply(session_id, project_id, body)
        else:
            put(service, body, session_id, project_id)
    assert caught.value.status == status, caught.value.message
    return caught.value.message


ACK = {"state": "ACK_PLANNED_MAINTENANCE",
       "instance_actions": {"vm-1": "LIVE_MIGRATE", "vm-2": "OWN_ACTION"}}
OUTPUT = {"project_id": "p-1", "state": "ACK_PLANNED_MAINTENANCE",
          "instance_actions": {"vm-1": "LIVE_MIGRATE", "vm-2": "OWN_ACTION"}}


def test_get_lists_the_pending_questions_instances(service, mistral):
    mistral.ask(project_id="p-2", instance_ids=["other"])
    mistral.ask(instance_ids=["vm-1", "vm-2"])
    answer = service.instances("s-1", "p-1")
    assert answer["instance_ids"] == ["vm-1", "vm-2"]
    assert answer["state"] == "PLANNED_MAINTENANCE" and answer["pending"] is True


def test_get_of_an_unknown_project_is_404_and_of_an_answered_one_its_last_question(
        service, mistral):
    with pytest.raises(errors.ApiError) as caught:
        service.instances("s-1", "p-1")
    assert caught.value.status == 404 and "p-1" in caught.value.message
    mistral.ask(state="SCALE_IN", instance_ids=["vm-9"], execution_state="SUCCESS",
                output={"result": {"project_id": "p-1", "state": "ACK_SCALE_IN",
                                   "instance_actions": {}}})
    answer = service.instances("s-1", "p-1")
    assert answer["instance_ids"] == ["vm-9"] and answer["pending"] is False


def test_ack_completes_the_wait_with_the_reply_as_output(service, mistral):
    waiting = mistral.ask()
    accepted = put(service, dict(ACK, session_id="s-1", instance_ids=["vm-1", "vm-2"]))
    assert mistral.updates == [(waiting.id, "SUCCESS", OUTPUT)]
    assert accepted == dict(OUTPUT, session_id="s-1", accepted=True)
    assert mistral.action_records[waiting.id].state == "SUCCESS"


def test_nack_fails_the_wait_naming_project_and_state(service, mistral):
    waiting = mistral.ask(state="MAINTENANCE", instance_ids=["vm-1"])
    put(service, {"state": "NACK_MAINTENANCE"})
    [(execution_id, state, output)] = mistral.updates
    assert (execution_id, state) == (waiting.id, "ERROR")
    assert output["project_id"] == "p-1" and output["state"] == "NACK_MAINTENANCE"
    assert "p-1" in output["message"] and "MAINTENANCE" in output["message"]


def test_an_identical_retry_is_200_and_changes_nothing(service, mistral):
    mistral.ask()
    put(service, ACK)
    for _ in range(5):
        again = put(service, dict(ACK, session_id="s-1"))
        assert again["repeated"] is True and again["state"] == "ACK_PLANNED_MAINTENANCE"
    assert len(mistral.updates) == 1


def test_a_different_reply_after_acceptance_is_409(service, mistral):
    mistral.ask()
    put(service, ACK)
    message = refused(service, {"state": "ACK_PLANNED_MAINTENANCE",
                                "instance_actions": {"vm-1": "MIGRATE"}}, 409)
    assert "already answered" in message
    message = refused(service, {"state": "NACK_PLANNED_MAINTENANCE"}, 409)
    assert "ACK_PLANNED_MAINTENANCE" in message
    assert len(mistral.updates) == 1


def test_a_nack_retry_is_recognised_too(service, mistral):
    mistral.ask(state="SCALE_IN", instance_ids=[])
    put(service, {"state": "NACK_SCALE_IN"})
    assert put(service, {"state": "NACK_SCALE_IN"})["repeated"] is True
    assert len(mistral.updates) == 1


def test_the_same_state_asked_again_takes_the_new_reply(service, mistral, clock):
    first = mistral.ask(state="SCALE_IN", instance_ids=[], created=EPOCH_NOW - 100,
                        reply_window_s=300)
    put(service, {"state": "ACK_SCALE_IN"})
    second = mistral.ask(state="SCALE_IN", instance_ids=[])
    assert "repeated" not in put(service, {"state": "ACK_SCALE_IN"})
    assert [u[0] for u in mistral.updates] == [first.id, second.id]


@pytest.mark.parametrize("body, words", [
    ({"state": "ACK_MAINTENANCE"}, "pending question PLANNED_MAINTENANCE"),
    ({"state": "ACK_PLANNED_MAINTENANCE", "instance_actions": {"vm-7": "MIGRATE"}}, "vm-7"),
    ({"state": "ACK_PLANNED_MAINTENANCE", "instance_actions": {"vm-1": "REBOOT"}},
     "instance_actions.vm-1"),
    ({"state": "ACK_PLANNED_MAINTENANCE", "instance_actions": ["vm-1"]}, "instance_actions"),
    ({"state": "ACK_UPGRADE"}, "state must be ACK_<STATE> or NACK_<STATE>"),
    ({"state": 7}, "state: 7 is not of type 'string'"),
    ({"instance_actions": {}}, "'state' is a required property"),
    (["ACK_PLANNED_MAINTENANCE"], "body"),
    (b"{not json", "not JSON"),
    (b"\xff\xfe", "not UTF-8"),
    (b"[" * 100000, "nests deeper than 32 levels"),
    (b'{"state": ' + b"[" * 40 + b"]" * 40 + b"}", "nests deeper than 32 levels"),
    (b'{"state": NaN}', "NaN is not a JSON number"),
    (b'{"state": "ACK_PLANNED_MAINTENANCE"} trailing', "not JSON"),
])
def test_malformed_or_mismatched_replies_are_400_and_change_nothing(service, mistral, body, words):
    mistral.ask()
    assert words in refused(service, body, 400)
    assert mistral.updates == []
    assert put(service, ACK)["accepted"] is True


def test_actions_not_allowed_in_the_state_are_refused(service, mistral):
    mistral.ask(state="MAINTENANCE", instance_ids=["vm-1"])
    message = refused(service, {"state": "ACK_MAINTENANCE",
                                "instance_actions": {"vm-1": "MIGRATE"}}, 400)
    assert message == "instance_actions.vm-1: MIGRATE is not allowed in MAINTENANCE (allowed: none)"
    mistral.ask(state="PREPARE_MAINTENANCE", project_id="p-3", allowed_actions=["MIGRATE"])
    message = refused(service, {"state": "ACK_PREPARE_MAINTENANCE",
                                "instance_actions": {"vm-2": "LIVE_MIGRATE"}}, 400,
                      project_id="p-3")
    assert "(allowed: MIGRATE)" in message
    assert mistral.updates == []


def test_after_the_deadline_is_409(service, mistral, clock):
    mistral.ask(reply_window_s=60, created=EPOCH_NOW - 62)
    message = refused(service, ACK, 409)
    assert message == "the reply window for PLANNED_MAINTENANCE closed at 2026-11-22T09:59:59Z"
    assert mistral.updates == []


def test_within_the_second_of_grace_is_in_time(service, mistral):
    mistral.ask(reply_window_s=60, created=EPOCH_NOW - 60.5)
    assert put(service, ACK)["accepted"] is True


def test_a_late_reply_to_a_second_round_is_not_taken_for_a_repeat(service, mistral):
    mistral.ask(state="SCALE_IN", instance_ids=[], created=EPOCH_NOW - 100, reply_window_s=300)
    put(service, {"state": "ACK_SCALE_IN"})
    mistral.ask(state="SCALE_IN", instance_ids=[], created=EPOCH_NOW - 50, task_state="ERROR")
    assert "closed" in refused(service, {"state": "ACK_SCALE_IN"}, 409)
    assert len(mistral.updates) == 1


def test_a_timed_out_task_is_409_even_inside_the_window(service, mistral):
    mistral.ask(task_state="ERROR")
    assert "closed" in refused(service, ACK, 409)
    assert mistral.updates == []


def test_nothing_pending_is_409(service, mistral):
    mistral.ask(project_id="p-2")
    mistral.ask(session_id="s-2")
    mistral.ask(name="maintenance.other_action")
    assert refused(service, ACK, 409) == "no question is pending for project p-1 in session s-1"


def test_a_question_that_failed_undelivered_is_not_an_answer(service, mistral):
    mistral.ask(execution_state="ERROR", output={"result": {"code": "not_delivered",
                                                            "message": "x"}})
    assert "no question is pending" in refused(service, ACK, 409)


def reply_calls(sessions):
    """The calls to Mistral of one reply and one repeat, with `sessions` sessions in its database."""
    mistral = FakeMistral()
    for index in range(sessions - 1):
        for project in ("p-1", "p-2"):
            mistral.ask(session_id="done-%d" % index, project_id=project,
                        execution_state="SUCCESS", task_state="SUCCESS",
                        output={"result": dict(OUTPUT, project_id=project)})
    mistral.ask()
    service = reply_service.ReplyService(asks.MistralAsks(mistral), clock=Clock())
    mistral.calls.clear()
    mistral.environments.calls.clear()
    assert put(service, ACK)["accepted"] is True
    assert put(service, ACK)["repeated"] is True
    return dict(mistral.calls), mistral.environment_calls()


def test_a_reply_looks_up_one_record_however_many_sessions_mistral_keeps():
    one, many = reply_calls(1), reply_calls(200)
    assert one == many
    calls, environment_calls = many
    assert environment_calls == ["get", "get"], "one look-up per reply"
    assert calls == {"action_executions.get": 2, "tasks.get": 1, "action_executions.update": 1}


def test_the_record_keeps_the_latest_question_per_state(mistral):
    first = mistral.ask(state="SCALE_IN", instance_ids=[])
    second = mistral.ask(state="PLANNED_MAINTENANCE")
    third = mistral.ask(state="SCALE_IN", instance_ids=[])
    record = asks.MistralAsks(mistral).record("s-1", "p-1")
    assert record["asks"] == {"SCALE_IN": third.id, "PLANNED_MAINTENANCE": second.id}
    assert record["latest"] == "SCALE_IN" and first.id not in record["asks"].values()
    assert asks.MistralAsks(mistral).record("s-1", "p-2") is None


def test_completed_by_someone_else_first(service, mistral, monkeypatch):
    waiting = mistral.ask()
    stale = asks.MistralAsks(mistral).get(waiting.id)
    mistral.action_records[waiting.id].state = "SUCCESS"
    mistral.action_records[waiting.id].output = {"result": OUTPUT}
    fresh_get = asks.MistralAsks.get
    served = []

    def stale_once(self, action_execution_id):
        if not served:
            served.append(action_execution_id)
            return stale
        return fresh_get(self, action_execution_id)
    monkeypatch.setattr(asks.MistralAsks, "get", stale_once)
    assert put(service, ACK)["repeated"] is True
    other = {"state": "ACK_PLANNED_MAINTENANCE", "instance_actions": {"vm-1": "MIGRATE"}}
    assert "already answered" in refused(service, other, 409)


def test_mistral_refusing_for_another_reason_is_502(service, mistral, monkeypatch):
    mistral.ask()
    mistral.down = True
    assert "Mistral did not accept" in refused(service, ACK, 502)


def test_racing_identical_replies_reach_mistral_once(service, mistral):
    mistral.ask()
    results, problems = [], []

    def reply():
        try:
            results.append(put(service, ACK))
        except errors.ApiError as exc:
            problems.append(exc)
    threads = [threading.Thread(target=reply) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    assert len(results) == 6 and len(mistral.updates) == 1
    assert sum(1 for r in results if r.get("repeated")) == 5


@pytest.mark.parametrize("state", ["ACK_INSTANCE_ACTION_DONE", "NACK_INSTANCE_ACTION_DONE"])
def test_a_receipt_of_instance_action_done_is_200_and_changes_nothing(service, mistral, state):
    mistral.ask()
    body = {"session_id": "s-1", "state": state}
    assert put(service, body) == {"session_id": "s-1", "project_id": "p-1", "state": state,
                                  "accepted": True}
    assert put(service, body)["accepted"] is True, "Tacker retries; a repeat is fine too"
    assert mistral.updates == []
    assert put(service, ACK)["accepted"] is True, "the pending question still waits"


def test_a_receipt_from_a_project_never_asked_is_409(service, mistral):
    mistral.ask()
    message = refused(service, {"state": "ACK_INSTANCE_ACTION_DONE"}, 409, project_id="p-9")
    assert "p-9" in message
    assert mistral.updates == []


def test_instance_action_answers_a_question_about_one_instance(service, mistral):
    waiting = mistral.ask(state="PREPARE_MAINTENANCE", instance_ids=["vm-1"])
    accepted = put(service, {"state": "ACK_PREPARE_MAINTENANCE", "instance_action": "MIGRATE",
                             "session_id": "s-1"})
    output = {"project_id": "p-1", "state": "ACK_PREPARE_MAINTENANCE",
              "instance_actions": {"vm-1": "MIGRATE"}}
    assert mistral.updates == [(waiting.id, "SUCCESS", output)]
    assert accepted["instance_actions"] == {"vm-1": "MIGRATE"}
    repeat = put(service, {"state": "ACK_PREPARE_MAINTENANCE", "instance_action": "MIGRATE"})
    assert repeat["repeated"] is True and len(mistral.updates) == 1, "Tacker's retry changes nothing"


@pytest.mark.parametrize("instance_ids, body, words", [
    (["vm-1", "vm-2"], {"instance_action": "MIGRATE"}, "names 2: use instance_actions"),
    (["vm-1"], {"instance_action": "MIGRATE", "instance_actions": {"vm-1": "LIVE_MIGRATE"}},
     "disagree"),
    (["vm-1"], {"instance_action": "REBOOT"}, "instance_action"),
])
def test_instance_action_that_cannot_apply_is_400(service, mistral, instance_ids, body, words):
    mistral.ask(state="PLANNED_MAINTENANCE", instance_ids=instance_ids)
    message = refused(service, dict(body, state="ACK_PLANNED_MAINTENANCE"), 400)
    assert words in message
    assert mistral.updates == []
