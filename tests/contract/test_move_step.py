"""`maintenance.move_step` against the simulator on a clock that only the test
moves: every step returns at once, whatever the cloud is doing (a step that
waited for a migration or another host's move would never return here), and
no step repeats a change the cloud already shows."""

import types

import pytest

from api_fake_environments import FakeEnvironmentsClient
from contract_support import PROJECT_A, PROJECT_B, VM_ACT, VM_STDBY, VM_WEB, events_of, inject_fault
from rolling_maintenance import cloud
from rolling_maintenance.cloud import migrations, move_steps
from rolling_maintenance.actions import moves as move_actions
from rolling_maintenance.mistral import session_records
from rolling_maintenance.workflow import contract

SESSION = {"migration_timeout": 120, "own_action_timeout": 120, "metadata": {},
           "event_type": "maintenance.scheduled", "migration_type": "LIVE_MIGRATE"}
SESSION_ID = "s-1"
RECOVERY_S = 30
# compute-0 is emptied onto compute-2; stdby leaves compute-1 only once act has
# moved and the pair has recovered.
MOVES = [
    {"instance": VM_ACT, "project_id": PROJECT_A, "from": "compute-0", "to": "compute-2",
     "type": "LIVE_MIGRATE", "after": [], "recovery_s": 0},
    {"instance": VM_WEB, "project_id": PROJECT_B, "from": "compute-0", "to": "compute-2",
     "type": "MIGRATE", "after": [], "recovery_s": 0},
    {"instance": VM_STDBY, "project_id": PROJECT_A, "from": "compute-1", "to": "compute-0",
     "type": "LIVE_MIGRATE", "after": [VM_ACT], "recovery_s": RECOVERY_S},
]


@pytest.fixture
def mistral(monkeypatch):
    """The session's records, in a Mistral held in memory."""
    client = FakeEnvironmentsClient()
    monkeypatch.setattr(move_actions.mistral_client, "for_action", lambda context: client)
    return client


@pytest.fixture
def told(monkeypatch, mistral):
    sent = []
    monkeypatch.setattr(move_actions.notify, "send_project_event",
                        lambda **kw: sent.append((kw["project_id"], kw["state"], kw["instance_ids"])))
    return sent


@pytest.fixture
def step_time(monkeypatch, manual_clock):
    """The steps' own clock: the simulator's."""
    monkeypatch.setattr(move_actions, "time", types.SimpleNamespace(time=manual_clock.now))


def plan(host):
    (found,) = move_actions.MovesByHostAction(SESSION, [host], MOVES).run(None)
    return found


def step(conn, host, progress=None):
    found = plan(host)
    action = move_actions.MoveStepAction(SESSION, host, found["moves"], found["awaited"], progress,
                                         session_id=SESSION_ID)
    return action.run_with(conn, context=None)


def started(sim):
    return [(e["server"], e["dest"]) for e in events_of(sim, "migration.started")]


def test_a_host_is_emptied_in_steps_that_never_wait(sim, conn, manual_clock, recorder, told):
    progress = step(conn, "compute-0")
    assert [e["host"] for e in events_of(sim, "service.disabled")] == ["compute-0"]
    assert started(sim) == [(VM_ACT, "compute-2")]
    assert progress["done"] is False and progress["wait_s"] == 1

    recorder.clear()
    again = step(conn, "compute-0", progress)
    assert recorder.writes() == [] and started(sim) == [(VM_ACT, "compute-2")]

    manual_clock.advance(60)
    progress = step(conn, "compute-0", again)
    assert told == [(PROJECT_A, contract.INSTANCE_ACTION_DONE, VM_ACT)]
    assert started(sim) == [(VM_ACT, "compute-2"), (VM_WEB, "compute-2")]
    manual_clock.advance(60)
    while not progress["done"]:
        progress = step(conn, "compute-0", progress)
        manual_clock.advance(5)
    assert [m["server"] for m in progress["finished"]] == [VM_ACT, VM_WEB]
    assert told[-1] == (PROJECT_B, contract.INSTANCE_ACTION_DONE, VM_WEB)
    assert events_of(sim, "migration.confirmed")  # the cold move was confirmed by a step
    assert cloud.get_server(conn, VM_WEB)["host"] == "compute-2"

    recorder.clear()
    fresh = step(conn, "compute-0")
    assert fresh["done"] is True and recorder.writes() == []


def test_a_live_migration_is_looked_at_again_when_its_copy_should_end(sim, conn, manual_clock, told,
                                                                       monkeypatch):
    # The step's clock runs at half the cloud's pace: the wait comes from the
    # copy's pace on the step's own clock, not from the cloud's seconds.
    monkeypatch.setattr(move_actions, "time", types.SimpleNamespace(time=lambda: 2 * manual_clock.now()))
    progress = step(conn, "compute-0")
    assert started(sim) == [(VM_ACT, "compute-2")] and progress["wait_s"] == 1
    # act's 2 GiB take 8 s: scheduled and prepared until 1.6 s, then copied at an even pace.
    waits = []
    for at in (3.2, 4.8, 7.9):
        manual_clock.advance(at - manual_clock.now())
        progress = step(conn, "compute-0", progress)
        waits.append(progress["wait_s"])
    # No pace from one look; then half left at a quarter per 3.2 s of the step's clock.
    assert waits == [1, 6, 0]
    # The copy is over: act runs on compute-2 while Nova finishes its record
    # (timing.post_live_migration_s): looked at again at once, then done.
    manual_clock.advance(0.1)
    progress = step(conn, "compute-0", progress)
    assert started(sim) == [(VM_ACT, "compute-2")] and progress["wait_s"] == 0
    manual_clock.advance(0.3)
    progress = step(conn, "compute-0", progress)
    assert started(sim) == [(VM_ACT, "compute-2"), (VM_WEB, "compute-2")]
    assert progress["wait_s"] == 1  # a cold migration shows no copy: polled

def test_a_move_waits_for_its_after_instance_and_the_recovery_time(sim, conn, manual_clock, step_clock, told,
                                                                    mistral, step_time):
    progress = step(conn, "compute-1")
    assert progress["wait_s"] == 1 and started(sim) == []

    cloud.live_migrate(conn, VM_ACT, target_host="compute-2", clock=step_clock, timeout=120, poll=0.5)
    # act's host told its project
    session_records.record_told(mistral, SESSION_ID, "compute-0", VM_ACT, manual_clock.now())
    progress = step(conn, "compute-1", progress)
    assert progress["wait_s"] == RECOVERY_S and started(sim) == [(VM_ACT, "compute-2")]
    assert VM_ACT in progress["told_at"]

    progress["told_at"][VM_ACT] -= RECOVERY_S  # the recovery time has passed
    manual_clock.advance(5)  # and the scheduler knows that act left compute-0
    progress = step(conn, "compute-1", progress)
    assert started(sim)[-1] == (VM_STDBY, "compute-0") and progress["wait_s"] == 1


def test_the_recovery_time_counts_from_when_the_project_was_told(
        sim, conn, manual_clock, step_clock, step_time, told, mistral):
    """act's own host tells its project at its next look, which may come
    well after stdby's host saw act moved: stdby waits for the tell, then
    the whole recovery time from it, as the host record of act's source
    says, even for a step that starts afresh (its process died)."""
    waiting = step(conn, "compute-1")
    cloud.live_migrate(conn, VM_ACT, target_host="compute-2", clock=step_clock, timeout=120, poll=0.5)
    manual_clock.advance(5)
    seen_at = manual_clock.now()
    waiting = step(conn, "compute-1", waiting)
    assert waiting["wait_s"] == 1 and waiting["told_at"] == {} and told == []
    reads = [call for call in mistral.environments.calls if call[0] == "get"]
    assert reads == [("get", session_records.record_name(SESSION_ID, "compute-0"))]

    manual_clock.advance(20)
    step(conn, "compute-0")
    cloud.enable_host(conn, "compute-0")  # stdby's destination, given back (as if maintained)
    assert told == [(PROJECT_A, contract.INSTANCE_ACTION_DONE, VM_ACT)]
    told_at = session_records.told_at(mistral, SESSION_ID, "compute-0", VM_ACT)
    assert told_at == manual_clock.now() == seen_at + 20

    manual_clock.advance(5)
    waiting = step(conn, "compute-1", waiting)
    assert waiting["wait_s"] == RECOVERY_S - 5 and started(sim)[-1][0] == VM_WEB
    mistral.environments.calls.clear()
    fresh = step(conn, "compute-1")
    assert fresh["wait_s"] == RECOVERY_S - 5 and fresh["told_at"] == {VM_ACT: told_at}
    assert started(sim)[-1][0] == VM_WEB
    waiting = step(conn, "compute-1", waiting)
    assert mistral.environments.calls == [("get", session_records.record_name(SESSION_ID, "compute-0"))]

    manual_clock.advance(RECOVERY_S - 5)
    step(conn, "compute-1", waiting)
    assert started(sim)[-1] == (VM_STDBY, "compute-0")
    step(conn, "compute-0")  # a rerun of act's host does not tell the project again
    assert told == [(PROJECT_A, contract.INSTANCE_ACTION_DONE, VM_ACT)]


def test_a_move_the_scheduler_refuses_for_its_stale_view_is_sent_again_later(
        sim, conn, manual_clock, step_clock, told):
    cloud.live_migrate(conn, VM_ACT, target_host="compute-2", clock=step_clock, timeout=120, poll=0.5)
    progress = step(conn, "compute-1", {"known": {}, "told_at": {VM_ACT: 0.0}, "finished": [],
                                        "current": None, "waiting_since": None})
    # Nova's scheduler still counts act on compute-0, which anti-affinity then refuses.
    assert [e["server"] for e in events_of(sim, "migration.failed")] == [VM_STDBY]
    assert progress["done"] is False and progress["wait_s"] == migrations.REFUSED_RETRY_INTERVAL_S

    manual_clock.advance(5)
    progress = step(conn, "compute-1", progress)
    assert len(started(sim)) == 2, "sent again before the retry interval"
    progress["current"]["not_before"] = 0
    step(conn, "compute-1", progress)
    assert started(sim)[-1] == (VM_STDBY, "compute-0")


def test_a_failed_migration_fails_the_step_and_a_fresh_start_sends_it_again(
        sim, sim_url, conn, manual_clock, told):
    inject_fault(sim_url, type="migration_error", host="compute-0", count=1)
    progress = step(conn, "compute-0")
    manual_clock.advance(60)
    with pytest.raises(cloud.CloudError) as failed:
        step(conn, "compute-0", progress)
    assert failed.value.code == "migration_failed" and failed.value.details["server"] == VM_ACT
    assert told == []

    step(conn, "compute-0")  # a rerun of the host's moves starts afresh
    assert [s for s, _dest in started(sim)] == [VM_ACT, VM_ACT]


def test_a_reply_naming_an_unknown_action_is_refused_naming_the_instance():
    replies = [{"project_id": PROJECT_A, "instance_actions": {VM_ACT: "EVACUATE"}}]
    result = move_actions.MovesByHostAction(SESSION, ["compute-0"], MOVES, replies).run(None)
    assert result.error["code"] == "invalid_reply" and VM_ACT in result.error["message"]



def test_a_move_waiting_for_one_that_failed_fails_naming_it(sim, sim_url, conn, manual_clock, told):
    waiting = step(conn, "compute-1")
    inject_fault(sim_url, type="migration_error", host="compute-0", count=1)
    step(conn, "compute-0")
    manual_clock.advance(60)
    with pytest.raises(cloud.CloudError) as failed:
        step(conn, "compute-1", waiting)
    assert failed.value.code == "move_failed" and failed.value.details["server"] == VM_ACT
    assert [s for s, _dest in started(sim)] == [VM_ACT]


def test_the_copy_of_a_live_migration_is_only_a_hint(sim, conn, member_conn, manual_clock):
    move_steps.start(conn, VM_ACT, move_steps.LIVE, target_host="compute-2")
    manual_clock.advance(4.8)  # half of act's 2 GiB copied (see above)
    assert move_steps.memory_copy(conn, VM_ACT) == {"copied": 1024 ** 3, "left": 1024 ** 3}
    # A caller Nova does not show server migrations to gets no hint, and no error.
    assert move_steps.memory_copy(member_conn, VM_ACT) is None
    manual_clock.advance(10)
    assert move_steps.memory_copy(conn, VM_ACT) is None
