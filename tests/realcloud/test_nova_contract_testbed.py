"""Nova's behaviour as tests/shared/nova_contract asserts it, on the test bed's real
Nova 34 (tests/contract/test_nova_contract_sim.py runs them on the simulator)."""

import pytest

import nova_contract

# Nova's defaults, which the test bed keeps: reserved_host_memory_mb and
# initial_cpu_allocation_ratio.
RESERVED_HOST_MEMORY_MB = 512
CPU_ALLOCATION_RATIO = 4.0


@pytest.fixture
def nova(testbed, conn, records, workload):
    def pair():
        group_id = workload.group("tenant-a", "pair")
        ids = [workload.boot("tenant-a", f"pair-{i}", group_id=group_id) for i in range(2)]
        workload.wait_active(ids)
        return tuple(ids)

    def single():
        server = workload.boot("tenant-a", "single")
        workload.wait_active([server])
        return server

    return nova_contract.Cloud(conn=conn, records=records, hosts=sorted(testbed.hosts),
                               pair=pair, single=single, timing={"timeout": 300, "poll": 0.5},
                               reserved_host_memory_mb=RESERVED_HOST_MEMORY_MB,
                               cpu_allocation_ratio=CPU_ALLOCATION_RATIO)


def test_no_valid_host_fails_the_migration(nova):
    nova_contract.no_valid_host_fails_the_migration(nova)


def test_doomed_live_migration_answers_by_microversion(nova):
    nova_contract.doomed_live_migration_answers_by_microversion(nova)


def test_stale_view_refusal_is_retried(nova, caplog):
    """Whether Nova refuses depends on when the host's instance sync falls (up to 120 s
    after the first move); the adapter must end the move either way."""
    nova_contract.stale_view_refusal_is_retried(nova, caplog, max_wait_s=180)


def test_cold_migrate_confirms_once(nova):
    nova_contract.cold_migrate_confirms_once(nova)


def test_migration_record_fields(nova):
    nova_contract.migration_record_fields(nova)


def test_a_live_move_ends_with_its_record(nova):
    """On Nova the moment lasts as long as the source host's resource audit: tens of
    milliseconds on the test bed, so a look may or may not fall into it."""
    nova_contract.a_live_move_ends_with_its_record(nova)


def test_capacity_as_placement_counts_it(nova):
    nova_contract.capacity_as_placement_counts_it(nova)


def test_empty_image_ref_is_refused(member_conn):
    nova_contract.empty_image_ref_is_refused(member_conn)


def test_boots_on_the_named_network_and_refuses_an_unknown_one(member_conn):
    nova_contract.boots_on_the_named_network_and_refuses_an_unknown_one(member_conn)
