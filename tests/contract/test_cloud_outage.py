"""A cloud API outage is `unavailable`, for Nova and Aodh alike, and ends with the outage."""

import pytest

from contract_support import inject_fault
from rolling_maintenance import cloud


def test_outage_is_unavailable_then_recovers(sim_url, conn, manual_clock):
    assert len(cloud.list_compute_hosts(conn)) == 3
    inject_fault(sim_url, type="api_unavailable", seconds=30)
    for call in (lambda: cloud.list_compute_hosts(conn),
                 lambda: cloud.list_servers(conn, host="compute-0"),
                 lambda: cloud.subscribed_projects(conn, "maintenance.planned")):
        with pytest.raises(cloud.CloudError) as info:
            call()
        assert info.value.code == "unavailable"
        assert info.value.details["status"] == 503
    manual_clock.advance(31)
    assert len(cloud.list_compute_hosts(conn)) == 3
