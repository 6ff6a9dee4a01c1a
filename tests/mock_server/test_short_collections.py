"""``serve`` keeps the collector's full passes short: what start-up made and what survives a
full pass is not walked again, while new cyclic garbage is still collected."""

from __future__ import annotations

import gc
import weakref

from wolkvox_mock.serving import short_collections
from wolkvox_mock.state.models import Interaction


class _Node:
    me: _Node | None = None


def test_survivors_of_a_full_pass_are_not_walked_again_and_new_cycles_still_go() -> None:
    assert gc.get_freeze_count() == 0
    with short_collections():
        assert gc.get_freeze_count() > 0, "start-up's objects are frozen"
        kept = [Interaction(i, "t", "0001", "tok", "1", "1001", {"from": "a"}) for i in range(5000)]
        assert gc.is_tracked(kept[0])
        before = gc.get_freeze_count()
        gc.collect()
        assert gc.get_freeze_count() >= before + len(kept)
        assert all(o is not kept[-1] for o in gc.get_objects(generation=2))

        node = _Node()
        node.me = node  # a cycle made after the freeze: garbage once dropped
        gone = weakref.ref(node)
        del node
        gc.collect()
        assert gone() is None
    assert gc.get_freeze_count() == 0
    assert all(callback.__name__ != "_freeze_survivors" for callback in gc.callbacks)
