"""The best-fit pool of target hosts and its undo."""

from rolling_maintenance.planner.placement.target_pool import TargetPool


def pool():
    return TargetPool({"a": (4, 4096), "b": (2, 2048), "c": (8, 2048), "d": (1, 8192)})


def test_best_fit_is_the_fullest_host_that_fits():
    assert pool().best_fit(1, 1024) == "b"
    assert pool().best_fit(3, 1024) == "c"
    assert pool().best_fit(2, 3000) == "a"
    assert pool().best_fit(1, 5000) == "d"
    assert pool().best_fit(2, 5000) is None


def test_ties_go_by_name_and_allowed_filters():
    tied = TargetPool({"y": (2, 2048), "x": (2, 2048), "z": (2, 2048)})
    assert tied.best_fit(1, 1024) == "x"
    assert tied.best_fit(1, 1024, allowed=lambda h: h != "x") == "y"
    assert tied.best_fit(1, 1024, allowed=lambda h: False) is None


def test_take_withdraw_and_rollback():
    p = pool()
    mark = p.mark()
    p.take("a", 3, 3072)
    assert p.free("a") == (1, 1024) and p.best_fit(1, 1024) == "a"
    p.withdraw("b")
    assert "b" not in p and len(p) == 3
    p.take("a", 1, 1024)
    p.rollback(mark)
    assert p.free("a") == (4, 4096) and "b" in p and p.free("b") == (2, 2048)
    assert p.best_fit(1, 1024) == "b"


def test_best_fit_among_a_few_with_a_rank_first():
    p = pool()
    assert p.best_fit_among(["a", "c", "zz"], 1, 1024) == "c"
    assert p.best_fit_among(["a", "c"], 1, 1024, rank={"a": 0, "c": 1}.get) == "a"
    assert p.best_fit_among(["b"], 4, 1024) is None


def test_overcommitted_hosts_never_fit():
    assert TargetPool({"a": (-1, 4096)}).best_fit(0, 0) is None
