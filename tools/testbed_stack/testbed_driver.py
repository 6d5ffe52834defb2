"""Nova's fake virt driver, sized per nova-compute and with moves that take time.

`tools/testbed up` copies this file into the test bed's Nova as
nova/virt/testbed_driver.py (Nova imports drivers only from nova.virt) and
sets `[DEFAULT] compute_driver = testbed_driver.TestbedDriver`.

- one node per nova-compute, named after its host, with a stable node UUID
  (FakeDriverWithoutFakeNodes);
- size from the environment of each process: TESTBED_VCPUS, TESTBED_MEMORY_MB;
- a live migration lasts TESTBED_LIVE_MIGRATION_S (default 3) and the disk copy
  of a cold migration TESTBED_COLD_MIGRATION_S (default 2), so MIGRATING,
  RESIZE and VERIFY_RESIZE can be seen (the stock fake driver moves at once);
- the source forgets a guest that has left it, so its own counts stay right.
"""

import os
import time

from nova.virt import fake


def _setting(name, default, kind=int):
    value = os.environ.get(name, "")
    return kind(value) if value else default


class TestbedDriver(fake.FakeDriverWithoutFakeNodes):
    vcpus = _setting("TESTBED_VCPUS", 8)
    memory_mb = _setting("TESTBED_MEMORY_MB", 16384)
    local_gb = _setting("TESTBED_LOCAL_GB", 500)
    live_migration_s = _setting("TESTBED_LIVE_MIGRATION_S", 3.0, float)
    cold_migration_s = _setting("TESTBED_COLD_MIGRATION_S", 2.0, float)

    def live_migration(self, context, instance, dest, post_method, recover_method,
                       block_migration=False, migrate_data=None):
        time.sleep(self.live_migration_s)
        post_method(context, instance, dest, block_migration, migrate_data)

    def post_live_migration(self, context, instance, block_device_info, migrate_data=None):
        self.destroy(context, instance, network_info=None, block_device_info=block_device_info)

    def migrate_disk_and_power_off(self, context, instance, dest, flavor, network_info,
                                   block_device_info=None, timeout=0, retry_interval=0):
        time.sleep(self.cold_migration_s)

    def get_host_uptime(self):
        return " 00:00:00 up 1 day,  0:00,  0 users,  load average: 0.00, 0.00, 0.00"
