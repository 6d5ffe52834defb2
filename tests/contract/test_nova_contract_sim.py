"""Nova's behaviour as tests/shared/nova_contract asserts it, on the simulator.

tests/realcloud/test_nova_contract_testbed.py runs the same checks on the test bed's
real Nova 34; a difference between the two fails one of them.
"""

import nova_contract


def test_no_valid_host_fails_the_migration(nova):
    nova_contract.no_valid_host_fails_the_migration(nova)


def test_doomed_live_migration_answers_by_microversion(nova):
    nova_contract.doomed_live_migration_answers_by_microversion(nova)


def test_stale_view_refusal_is_retried(nova, caplog):
    """On the simulator the refusal is certain (the next move starts within the stale
    window) and the retry waits in simulated time."""
    refusals = nova_contract.stale_view_refusal_is_retried(nova, caplog, max_wait_s=30)
    assert refusals == ["error"]


def test_cold_migrate_confirms_once(nova):
    nova_contract.cold_migrate_confirms_once(nova)


def test_migration_record_fields(nova):
    nova_contract.migration_record_fields(nova)


def test_a_live_move_ends_with_its_record(nova):
    """The simulator holds the record `running` for `timing.post_live_migration_s`
    after the server runs on its destination: the moment is always seen."""
    assert nova_contract.a_live_move_ends_with_its_record(nova) is True


def test_capacity_as_placement_counts_it(nova):
    nova_contract.capacity_as_placement_counts_it(nova)


def test_empty_image_ref_is_refused(member_conn):
    nova_contract.empty_image_ref_is_refused(member_conn)


def test_boots_on_the_named_network_and_refuses_an_unknown_one(member_conn):
    nova_contract.boots_on_the_named_network_and_refuses_an_unknown_one(member_conn)
