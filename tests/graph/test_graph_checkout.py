"""Sign-in, checkout and orders through the compiled graph, on real Redis checkpoints."""

from __future__ import annotations

from decimal import Decimal

from graph.checkpoint import redis_checkpointer
from graph.models import OrderStatus
from graph.state import TurnInput
from tests.graph.conftest import Chat, ChatFactory


async def _place_pickup(chat: Chat) -> str:
    await chat.say("a margherita pizza")
    await chat.sign_in()
    await chat.say("pickup")
    placed = await chat.say("yes")
    return str(placed.card("ORDER_DATA")["number"])


async def test_checkout_asks_for_a_phone_and_keeps_the_cart(chat: Chat) -> None:
    await chat.say("two cokes")
    turn = await chat.say("i'd like to check out")
    assert turn.state["intent"] == "checkout"
    assert turn.card("AUTH_REQUIRED") == {"step": "phone", "phone": None, "resend_after": None}
    assert turn.state["auth_step"] == "phone"
    assert turn.state["pending"].intent == "checkout"
    assert "phone" in turn.reply
    assert [line.quantity for line in await chat.cart_lines()] == [2]


async def test_sign_in_resumes_checkout_and_places_a_pickup_order(chat: Chat) -> None:
    await chat.say("a margherita pizza and a coke")
    await chat.say("checkout")
    phone = await chat.say("my number is 555 010 2030")
    assert phone.state["intent"] == "provide_phone"
    assert phone.tool("start_sign_in")
    code_card = phone.card("AUTH_REQUIRED")
    assert code_card["step"] == "code"
    assert code_card["phone"].endswith("2030")
    assert "555" not in code_card["phone"]
    assert code_card["resend_after"] == 30
    assert chat.identity.sent == [("+15550102030", "246810")]
    verified = await chat.say("246810")
    assert verified.state["intent"] == "checkout"  # the interrupted flow resumed
    assert verified.tool("verify_code")
    assert "verified" in verified.reply
    assert verified.state["auth_step"] is None
    assert verified.state["pending"] is None
    assert verified.state["checkout"].step == "order_type"
    assert "pickup" in verified.reply
    summary = await chat.say("pickup please")
    assert summary.state["checkout"].step == "confirm"
    card = summary.card("CART_CARD")
    assert card["order_type"] == "pickup"
    assert card["delivery_fee"] == "0.00"
    # 11.00 + medium 3.00 = 14.00, coke 2.50 + medium 0.50 = 3.00; tax 8% of 17.00.
    assert card["subtotal"] == "17.00"
    assert card["tax"] == "1.36"
    assert card["total"] == "18.36"
    assert "$18.36" in summary.reply
    placed = await chat.say("yes")
    order = placed.card("ORDER_DATA")
    assert placed.tool("place_order")["args"] == {"order_type": "pickup"}
    assert order["status"] == "placed"
    assert order["type"] == "pickup"
    assert order["total"] == "18.36"
    assert order["estimated_ready_at"] == "2026-05-01T18:20:00+00:00"
    assert f"#{order['number']}" in placed.reply
    assert "2:20 PM" in placed.reply  # 6:20 PM UTC, told on the restaurant's New York clock
    assert "about 20 minutes" in placed.reply
    assert await chat.cart_lines() == []
    assert placed.state["checkout"] is None
    assert placed.state["last_order"] == order["number"]


async def test_wrong_code_then_resend_then_right_code(chat: Chat) -> None:
    await chat.say("a tiramisu")
    await chat.say("checkout")
    await chat.say("5550102030")
    wrong = await chat.say("111111")
    assert wrong.state["intent"] == "provide_code"
    assert "2 tries left" in wrong.reply
    assert wrong.card("AUTH_REQUIRED")["step"] == "code"
    assert wrong.state["auth_step"] == "code"
    too_soon = await chat.say("resend the code")
    assert too_soon.state["intent"] == "resend_code"
    assert "seconds" in too_soon.reply
    assert len(chat.identity.sent) == 1
    chat.clock.advance(31)
    resent = await chat.say("can you send it again?")
    assert resent.tool("resend_code")
    assert "new code" in resent.reply
    assert len(chat.identity.sent) == 2
    right = await chat.say("246810")
    assert right.state["signed_in"] is True
    assert right.state["checkout"].step == "order_type"


async def test_three_wrong_codes_lock_the_sign_in(chat: Chat) -> None:
    await chat.say("a cannoli")
    await chat.say("checkout")
    await chat.say("555-010-2030")
    await chat.say("000000")
    await chat.say("000001")
    locked = await chat.say("000002")
    assert "locked" in locked.reply
    assert locked.state["auth_step"] is None
    assert locked.state["pending"] is None
    assert await chat.identity.current_user(chat.session_id) is None
    assert [line.item for line in await chat.cart_lines()] == ["cannoli"]
    again = await chat.say("checkout")
    assert again.card("AUTH_REQUIRED")["step"] == "phone"
    refused = await chat.say("555-010-2030")
    assert "locked" in refused.reply
    assert refused.state["auth_step"] == "phone"


async def test_adding_an_item_while_waiting_for_the_code(chat: Chat) -> None:
    await chat.say("a hawaiian pizza")
    await chat.say("checkout")
    await chat.say("555 010 2030")
    turn = await chat.say("actually add a coke")
    assert turn.state["intent"] == "add_items"
    assert {line.item for line in await chat.cart_lines()} == {"hawaiian_pizza", "coke"}
    assert "code" in turn.reply  # reminded of the step in progress
    assert turn.state["auth_step"] == "code"
    resumed = await chat.say("246810")
    assert resumed.state["checkout"].step == "order_type"


async def test_delivery_asks_for_the_address_and_adds_the_fee(chat: Chat) -> None:
    await chat.say("two cobb salads")  # over the demo's $15.00 delivery minimum
    await chat.sign_in()
    ask = await chat.say("delivery")
    assert ask.state["checkout"].step == "address"
    assert "address" in ask.reply.lower()
    summary = await chat.say("12 Main Street, Springfield")
    assert summary.state["checkout"].address == "12 Main Street, Springfield"
    card = summary.card("CART_CARD")
    assert card["order_type"] == "delivery"
    assert card["delivery_fee"] == "3.99"
    placed = await chat.say("yes please")
    order = placed.card("ORDER_DATA")
    assert order["type"] == "delivery"
    assert order["address"] == "12 Main Street, Springfield"
    assert Decimal(order["total"]) == Decimal("29.00") + Decimal("3.99") + Decimal("2.32")


async def test_make_it_delivery_at_confirmation(chat: Chat) -> None:
    await chat.say("two garden salads")  # over the demo's $15.00 delivery minimum
    await chat.sign_in()
    await chat.say("pickup")
    turn = await chat.say("actually make it delivery")
    assert turn.state["checkout"].order_type == "delivery"
    assert turn.state["checkout"].step == "address"
    summary = await chat.say("45 Oak Ave")
    assert summary.card("CART_CARD")["delivery_fee"] == "3.99"
    assert summary.state["awaiting"] == "confirm"


async def test_never_mind_cancels_checkout_but_keeps_the_cart(chat: Chat) -> None:
    await chat.say("a lemonade")
    await chat.sign_in()
    await chat.say("pickup")
    turn = await chat.say("never mind")
    assert turn.state["checkout"] is None
    assert "cart" in turn.reply
    assert [line.item for line in await chat.cart_lines()] == ["lemonade"]
    assert "place_order" not in turn.tool_names


async def test_no_at_confirmation_does_not_place(chat: Chat) -> None:
    await chat.say("a tiramisu")
    await chat.sign_in()
    await chat.say("dine in")
    turn = await chat.say("no")
    assert turn.state["checkout"] is None
    assert await chat.orders.list_for_user(chat.identity.user_for("+15550102030")) == []


async def test_adding_at_confirmation_updates_the_summary(chat: Chat) -> None:
    await chat.say("a caesar salad")
    await chat.sign_in()
    await chat.say("pickup")
    turn = await chat.say("oh and add a sprite")
    assert turn.tool("add_to_cart")
    assert turn.state["awaiting"] == "confirm"
    card = turn.card("CART_CARD")  # the last card is the refreshed checkout summary
    assert card["order_type"] == "pickup"
    assert len(card["lines"]) == 2
    assert "Updated order" in turn.reply
    placed = await chat.say("yes")
    assert len(placed.card("ORDER_DATA")["lines"]) == 2


async def test_removing_the_last_item_at_confirmation_ends_checkout(chat: Chat) -> None:
    await chat.say("a cannoli")
    await chat.sign_in()
    await chat.say("pickup")
    turn = await chat.say("remove the cannoli")
    assert await chat.cart_lines() == []
    assert turn.state["checkout"] is None


async def test_checkout_with_an_order_type_goes_straight_to_confirmation(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat()
    await chat.say("a four cheese pizza")
    await chat.say("checkout for dine in")
    await chat.say("555 010 2030")
    turn = await chat.say("246810")
    assert turn.state["checkout"].order_type == "dine_in"
    assert turn.state["checkout"].step == "confirm"
    assert turn.card("CART_CARD")["order_type"] == "dine_in"


async def test_signed_in_session_skips_the_gate(new_chat: ChatFactory) -> None:
    from uuid import uuid4

    chat = new_chat(user_id=uuid4())
    await chat.say("a coke")
    turn = await chat.say("checkout")
    assert "AUTH_REQUIRED" not in turn.card_names
    assert turn.state["checkout"].step == "order_type"


async def test_checkout_with_an_empty_cart(chat: Chat) -> None:
    await chat.sign_in()
    turn = chat.turns[-1]
    assert "empty" in turn.reply
    assert turn.state["checkout"] is None


async def test_order_status_after_placing(chat: Chat) -> None:
    number = await _place_pickup(chat)
    turn = await chat.say("where is my order?")
    assert turn.state["intent"] == "order_status"
    assert turn.tool("get_order_status")
    data = turn.card("ORDER_DATA")
    assert data["number"] == number
    assert data["status"] == "placed"
    assert f"#{number}" in turn.reply


async def test_order_status_by_number(chat: Chat) -> None:
    number = await _place_pickup(chat)
    chat.orders.set_status(number, OrderStatus.READY)
    turn = await chat.say(f"what's the status of order {number}")
    assert turn.tool("get_order_status")["args"] == {"number": number}
    assert turn.card("ORDER_DATA")["status"] == "ready"


async def test_order_status_of_a_rejected_order_promises_no_time(chat: Chat) -> None:
    number = await _place_pickup(chat)
    chat.orders.set_status(number, OrderStatus.REJECTED)
    turn = await chat.say(f"what's the status of order {number}")
    assert "rejected" in turn.reply
    assert "ready around" not in turn.reply
    assert "can still cancel" not in turn.reply


async def test_cancel_an_accepted_order_after_a_yes(chat: Chat) -> None:
    # The kitchen has accepted it but not started: the customer may still cancel.
    number = await _place_pickup(chat)
    chat.orders.set_status(number, OrderStatus.ACCEPTED)
    track = await chat.say("where is my order?")
    assert "can still cancel" in track.reply
    ask = await chat.say("cancel my order")
    assert ask.state["awaiting"] == "confirm_cancel"
    turn = await chat.say("yes")
    assert turn.card("ORDER_DATA")["status"] == "cancelled"


async def test_order_status_needs_sign_in_and_resumes(chat: Chat) -> None:
    ask = await chat.say("where's my order")
    assert ask.card("AUTH_REQUIRED")["step"] == "phone"
    await chat.say("555 010 2030")
    turn = await chat.say("246810")
    assert turn.state["intent"] == "order_status"
    assert "don't see any orders" in turn.reply


async def test_cancel_a_placed_order_after_a_yes(chat: Chat) -> None:
    number = await _place_pickup(chat)
    ask = await chat.say("cancel my order")
    assert ask.state["intent"] == "cancel_order"
    assert "cancel_order" not in ask.tool_names
    assert ask.state["awaiting"] == "confirm_cancel"
    assert ask.state["quick_replies"] == ["Yes", "No"]
    assert f"#{number}" in ask.reply
    turn = await chat.say("yes")
    assert turn.tool("cancel_order")["args"] == {"number": number}
    assert turn.card("ORDER_DATA")["status"] == "cancelled"
    assert "cancelled" in turn.reply


async def test_cancel_kept_on_no(chat: Chat) -> None:
    number = await _place_pickup(chat)
    await chat.say("cancel my order")
    turn = await chat.say("no")
    assert "cancel_order" not in turn.tool_names
    assert (await chat.orders.get(chat.identity.user_for("+15550102030"), number)).status == (
        OrderStatus.PLACED
    )
    assert "stays" in turn.reply


async def test_cancel_refused_once_preparing(chat: Chat) -> None:
    number = await _place_pickup(chat)
    chat.orders.set_status(number, OrderStatus.PREPARING)
    turn = await chat.say("cancel my order")
    assert "can't be cancelled" in turn.reply
    assert turn.card("ORDER_DATA")["status"] == "preparing"
    assert turn.state["awaiting"] is None


async def test_code_without_a_sign_in_asks_for_the_phone(chat: Chat) -> None:
    turn = await chat.say("resend the code")
    assert turn.state["auth_step"] == "phone"
    assert turn.card("AUTH_REQUIRED")["step"] == "phone"


async def test_invalid_phone_is_asked_again(chat: Chat) -> None:
    await chat.say("a coke")
    await chat.say("checkout")
    turn = await chat.say("my number is 12345")
    assert turn.state["auth_step"] == "phone"
    assert "phone" in turn.reply.lower()


async def test_cancel_during_sign_in_stops_it(chat: Chat) -> None:
    await chat.say("a coke")
    await chat.say("checkout")
    turn = await chat.say("never mind")
    assert turn.state["auth_step"] is None
    assert turn.state["pending"] is None
    assert [line.item for line in await chat.cart_lines()] == ["coke"]


async def test_conversation_resumes_after_a_process_restart(chat: Chat, redis_url: str) -> None:
    await chat.say("two pepperoni pizzas")
    await chat.say("checkout")
    await chat.say("555 010 2030")
    async with redis_checkpointer(redis_url) as fresh:
        chat.restart(fresh)
        turn = await chat.say("246810")
        assert turn.state["checkout"].step == "order_type"
        assert len([m for m in turn.state["messages"] if m.type == "human"]) == 4
        await chat.say("pickup")
        placed = await chat.say("yes")
        assert placed.card("ORDER_DATA")["lines"][0]["quantity"] == 2


async def test_a_retried_confirmation_places_one_order(chat: Chat) -> None:
    await chat.say("a sprite")
    await chat.sign_in()
    await chat.say("pickup")
    before = await chat.graph.aget_state(chat.config)
    first = await chat.say("yes")
    # Replay the same turn from the checkpoint before it, as a retry after a crash would.
    replay_config = before.config
    result = await chat.graph.ainvoke(
        TurnInput(text="yes"), replay_config, context=chat.context(), durability="exit"
    )
    user = chat.identity.user_for("+15550102030")
    orders = await chat.orders.list_for_user(user)
    assert len(orders) == 1
    assert result["last_order"] == first.card("ORDER_DATA")["number"]


async def test_each_reply_is_stored_with_its_cards(chat: Chat) -> None:
    await chat.say("a coke")
    await chat.say("checkout")
    state = (await chat.graph.aget_state(chat.config)).values
    ai = [m for m in state["messages"] if m.type == "ai"]
    assert [c["name"] for c in ai[0].additional_kwargs["cards"]] == ["CART_CARD"]
    assert [c["name"] for c in ai[1].additional_kwargs["cards"]] == ["AUTH_REQUIRED"]
    assert state["say"] == []
    assert state["cards"] == []


async def test_switching_delivery_back_to_pickup_drops_the_fee(chat: Chat) -> None:
    await chat.say("two greek salads")  # over the demo's $15.00 delivery minimum
    await chat.sign_in()
    await chat.say("delivery please")
    delivery = await chat.say("9 Elm Road")
    assert delivery.card("CART_CARD")["delivery_fee"] == "3.99"
    pickup = await chat.say("make it pickup instead")
    card = pickup.card("CART_CARD")
    assert card["order_type"] == "pickup"
    assert card["delivery_fee"] == "0.00"
    assert pickup.state["awaiting"] == "confirm"
    placed = await chat.say("yes")
    assert placed.card("ORDER_DATA")["address"] is None


async def test_code_typed_with_a_dash(chat: Chat) -> None:
    await chat.say("a coke")
    await chat.say("checkout")
    await chat.say("555 010 2030")
    turn = await chat.say("246-810")
    assert turn.state["signed_in"] is True


async def test_cancel_an_order_that_does_not_exist(chat: Chat) -> None:
    await _place_pickup(chat)
    turn = await chat.say("cancel order 4242")
    assert turn.tool("get_order_status")["args"] == {"number": "4242"}
    assert "cancel_order" not in turn.tool_names
    assert "can't find order #4242" in turn.reply
    assert "ORDER_DATA" not in turn.card_names


async def test_a_chain_of_corrections_reprices_each_time(chat: Chat) -> None:
    first = await chat.say("a hawaiian pizza")
    assert first.card("CART_CARD")["subtotal"] == "16.00"  # 13.00 + medium 3.00
    large = await chat.say("make that large")
    assert large.card("CART_CARD")["subtotal"] == "19.00"
    two = await chat.say("actually 2 of them")
    assert two.card("CART_CARD")["subtotal"] == "38.00"
    [line] = await chat.cart_lines()
    assert line.quantity == 2
    assert [c.option for c in line.choices if c.group == "pizza_size"] == ["large"]


async def test_phone_when_already_signed_in(chat: Chat) -> None:
    await chat.sign_in()
    turn = await chat.say("my number is 555 010 2030")
    assert "already signed in" in turn.reply
    assert "start_sign_in" not in turn.tool_names


async def test_a_question_mid_checkout_is_answered_then_the_step_re_asked(chat: Chat) -> None:
    await chat.say("a cobb salad")
    await chat.sign_in()
    await chat.say("pickup")
    menu = await chat.say("what desserts do you have?")
    assert menu.card("MENU_CARD")["items"]
    assert menu.state["awaiting"] == "confirm"
    assert menu.state["checkout"].step == "confirm"
    assert menu.reply.endswith("?")
    hello = await chat.say("hi")
    assert hello.state["awaiting"] == "confirm"
    placed = await chat.say("yes")
    assert placed.card("ORDER_DATA")["lines"][0]["item"] == "cobb_salad"
