"""The hosts instances may move to, kept in best-fit order, with undo.

Hosts are sorted by (free ram, free vcpus, name): the first host at or after
the ram an instance needs that also has its vcpus is the fullest host that
still fits, found by bisection instead of a scan of every host. A journal
undoes a trial evacuation cheaply, so one pool serves every candidate host
of a decision.
"""

import bisect


class TargetPool:
    def __init__(self, free):
        """`free`: `{host: (free vcpus, free ram_mb)}`."""
        self._free = dict(free)
        self._order = sorted((ram_mb, vcpus, name) for name, (vcpus, ram_mb) in self._free.items())
        self._journal = []

    def __contains__(self, name):
        return name in self._free

    def __len__(self):
        return len(self._free)

    def names(self):
        return list(self._free)

    def free(self, name):
        """`(vcpus, ram_mb)` still free on a host of the pool."""
        return self._free[name]

    def room(self):
        """`(vcpus, ram_mb)` free on all the hosts together (none counted below 0)."""
        return (sum(max(0, vcpus) for vcpus, _ in self._free.values()),
                sum(max(0, ram_mb) for _, ram_mb in self._free.values()))

    def fits(self, name, vcpus, ram_mb):
        free_vcpus, free_ram_mb = self._free[name]
        return free_vcpus >= vcpus and free_ram_mb >= ram_mb

    def _unlist(self, name):
        vcpus, ram_mb = self._free[name]
        del self._order[bisect.bisect_left(self._order, (ram_mb, vcpus, name))]

    def take(self, name, vcpus, ram_mb):
        """Reserve room on a host for a planned move."""
        self._unlist(name)
        old = self._free[name]
        new = (old[0] - vcpus, old[1] - ram_mb)
        self._free[name] = new
        bisect.insort(self._order, (new[1], new[0], name))
        self._journal.append((name, old))

    def withdraw(self, name):
        """Take a host out of the pool (the host being emptied is no target)."""
        self._unlist(name)
        self._journal.append((name, self._free.pop(name)))

    def mark(self):
        """A point `rollback` can return to."""
        return len(self._journal)

    def rollback(self, mark):
        """Undo every `take` and `withdraw` done since `mark`."""
        while len(self._journal) > mark:
            name, old = self._journal.pop()
            if name in self._free:
                self._unlist(name)
            self._free[name] = old
            bisect.insort(self._order, (old[1], old[0], name))

    def best_fit(self, vcpus, ram_mb, allowed=None):
        """The fullest host with room for `vcpus` and `ram_mb` that
        `allowed(name)` accepts (any when None), or None."""
        order = self._order
        for index in range(bisect.bisect_left(order, (ram_mb,)), len(order)):
            _, free_vcpus, name = order[index]
            if free_vcpus >= vcpus and (allowed is None or allowed(name)):
                return name
        return None

    def best_fit_among(self, names, vcpus, ram_mb, rank=None):
        """Best fit restricted to a few `names`; `rank(name)` orders before fullness."""
        fitting = [n for n in names if n in self._free and self.fits(n, vcpus, ram_mb)]
        if not fitting:
            return None

        def key(name):
            free_vcpus, free_ram_mb = self._free[name]
            return (rank(name) if rank else 0, free_ram_mb, free_vcpus, name)

        return min(fitting, key=key)
