"""The order's life: every allowed and every refused move of the lifecycle table.

The allowed moves are written out below by hand, so the test does not just read the table back:
each (type, from, to, who) is allowed exactly when it is in `EXPECTED`.
"""

from __future__ import annotations

import itertools

import pytest

from graph.models import CANCELLABLE, ENDED
from graph.models import OrderStatus as AgentStatus
from restaurant.db.models.orders import OrderStatus as S
from restaurant.db.models.orders import OrderType as T
from restaurant.services.lifecycle import (
    MOVES,
    Actor,
    BadMove,
    IllegalMove,
    check_move,
    customer_cancellable,
    is_final,
    next_statuses,
)

STAFF, CUSTOMER = Actor.STAFF, Actor.CUSTOMER


def _path(order_type: T, *statuses: S) -> set[tuple[T, S, S, Actor]]:
    return {(order_type, a, b, STAFF) for a, b in itertools.pairwise(statuses)}


def _common(order_type: T) -> set[tuple[T, S, S, Actor]]:
    return {
        (order_type, S.PLACED, S.REJECTED, STAFF),
        (order_type, S.PLACED, S.CANCELLED, CUSTOMER),
        (order_type, S.ACCEPTED, S.CANCELLED, CUSTOMER),
    }


EXPECTED: set[tuple[T, S, S, Actor]] = (
    _path(T.PICKUP, S.PLACED, S.ACCEPTED, S.PREPARING, S.READY, S.COLLECTED)
    | _path(T.DELIVERY, S.PLACED, S.ACCEPTED, S.PREPARING, S.OUT_FOR_DELIVERY, S.DELIVERED)
    | _path(T.DINE_IN, S.PLACED, S.ACCEPTED, S.PREPARING, S.READY, S.SERVED)
    | _common(T.PICKUP)
    | _common(T.DELIVERY)
    | _common(T.DINE_IN)
)

EVERY_MOVE = list(itertools.product(T, S, S, Actor))


def _id(move: tuple[T, S, S, Actor]) -> str:
    order_type, source, target, actor = move
    return f"{order_type.value}:{source.value}->{target.value}:{actor.value}"


def test_lifecycle_table_is_the_expected_list() -> None:
    in_table = {
        (order_type, move.source, move.target, move.actor)
        for move in MOVES
        for order_type in move.types
    }
    assert in_table == EXPECTED
    assert len(EXPECTED) == 4 * 3 + 3 * 3  # each path's four steps, and reject/cancel x2


@pytest.mark.parametrize("move", sorted(EXPECTED), ids=_id)
def test_lifecycle_allows(move: tuple[T, S, S, Actor]) -> None:
    order_type, source, target, actor = move
    reason = "out of dough" if target is S.REJECTED else None
    found = check_move("A7K3Q", order_type, source, target, actor, reason=reason)
    assert (found.source, found.target, found.actor) == (source, target, actor)


@pytest.mark.parametrize(
    "move",
    [m for m in EVERY_MOVE if m not in EXPECTED],
    ids=[_id(m) for m in EVERY_MOVE if m not in EXPECTED],
)
def test_lifecycle_refuses(move: tuple[T, S, S, Actor]) -> None:
    order_type, source, target, actor = move
    with pytest.raises(IllegalMove, match="#A7K3Q"):
        check_move("A7K3Q", order_type, source, target, actor, reason="a reason")


def test_lifecycle_refusals_say_what_is_possible() -> None:
    with pytest.raises(
        IllegalMove, match="is placed; it can go to accepted or rejected, not ready"
    ):
        check_move("A7K3Q", T.PICKUP, S.PLACED, S.READY, STAFF)
    with pytest.raises(IllegalMove, match="already preparing, so it can't be cancelled"):
        check_move("A7K3Q", T.PICKUP, S.PREPARING, S.CANCELLED, CUSTOMER)
    with pytest.raises(IllegalMove, match="already cancelled"):
        check_move("A7K3Q", T.PICKUP, S.CANCELLED, S.CANCELLED, CUSTOMER)
    with pytest.raises(IllegalMove, match="is delivered; it can't move any more"):
        check_move("A7K3Q", T.DELIVERY, S.DELIVERED, S.READY, STAFF)


def test_lifecycle_rejecting_needs_a_reason_and_only_accepting_takes_a_time() -> None:
    for reason in (None, "", "   "):
        with pytest.raises(BadMove, match="reason"):
            check_move("A7K3Q", T.PICKUP, S.PLACED, S.REJECTED, STAFF, reason=reason)
    with pytest.raises(BadMove, match="too long"):
        check_move("A7K3Q", T.PICKUP, S.PLACED, S.REJECTED, STAFF, reason="x" * 501)
    check_move("A7K3Q", T.PICKUP, S.PLACED, S.ACCEPTED, STAFF, ready_at_given=True)
    with pytest.raises(BadMove, match="only when accepting"):
        check_move("A7K3Q", T.PICKUP, S.ACCEPTED, S.PREPARING, STAFF, ready_at_given=True)


def test_lifecycle_final_statuses_and_next_moves() -> None:
    finals = {(t, s) for t, s in itertools.product(T, S) if is_final(t, s)}
    ends = {S.REJECTED, S.CANCELLED}
    assert finals == (
        {(T.PICKUP, s) for s in {S.COLLECTED, S.DELIVERED, S.SERVED, S.OUT_FOR_DELIVERY, *ends}}
        | {(T.DELIVERY, s) for s in {S.DELIVERED, S.COLLECTED, S.SERVED, S.READY, *ends}}
        | {(T.DINE_IN, s) for s in {S.SERVED, S.COLLECTED, S.DELIVERED, S.OUT_FOR_DELIVERY, *ends}}
    )
    assert next_statuses(T.DELIVERY, S.PREPARING, STAFF) == [S.OUT_FOR_DELIVERY]
    assert next_statuses(T.PICKUP, S.PLACED, CUSTOMER) == [S.CANCELLED]


def test_lifecycle_agrees_with_the_agent() -> None:
    # The agent keeps its own copy of the statuses and of when a customer may cancel.
    assert [s.value for s in S] == [s.value for s in AgentStatus]
    assert {s.value for s in customer_cancellable()} == {s.value for s in CANCELLABLE}
    ended = {s for s in S if all(is_final(t, s) for t in T)}
    assert {s.value for s in ended} == {s.value for s in ENDED}
