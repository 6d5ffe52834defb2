"""When a step looks again at a live migration under way."""

from rolling_maintenance.planner.schedule.eta import MAX_QUICK_LOOKS, next_look_s, seconds_left

GIB = 1024 ** 3


def look(at, copied_gib, total_gib=4):
    return {"at": at, "copied": copied_gib * GIB, "left": (total_gib - copied_gib) * GIB}


def test_the_time_left_comes_from_the_pace_between_two_looks():
    # 1 GiB copied in 2 s: 2 GiB left take 4 s.
    assert seconds_left(look(10.0, 1), look(12.0, 2)) == 4.0


def test_the_time_left_is_unknown_without_a_pace():
    assert seconds_left(None, look(12.0, 2)) is None
    # Nothing copied at the first look: the copy may have begun at any moment since.
    assert seconds_left(look(10.0, 0), look(12.0, 2)) is None
    assert seconds_left(look(10.0, 2), look(12.0, 2)) is None
    assert seconds_left(look(12.0, 1), look(12.0, 2)) is None


def test_the_next_look_is_when_the_copy_should_end_at_the_latest_a_second_early():
    assert next_look_s(4.7, 0, 1) == (4, 0)
    assert next_look_s(1.0, 0, 1) == (1, 0)
    assert next_look_s(None, 2, 1) == (1, 2)


def test_in_the_last_second_the_step_looks_again_at_once_a_few_times_then_polls():
    waits, quick = [], 0
    for _ in range(MAX_QUICK_LOOKS + 2):
        wait_s, quick = next_look_s(0.2, quick, 1)
        waits.append(wait_s)
    assert waits == [0] * MAX_QUICK_LOOKS + [1, 1]
