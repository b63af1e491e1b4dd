"""The graph's model path over real HTTP: a `ChatOpenAI` pointed at the fake OpenAI server.

Classification by structured output only when the offline reading is unsure, replies streamed
piece by piece as `text` events on the custom stream, a tool-call round trip for a free-form
question, and every failure (malformed output, timeouts, an invented price) answered offline.
"""

from __future__ import annotations

import json
import time
from typing import Any

from langchain_openai import ChatOpenAI

from graph.state import TurnInput
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.fakes.writer import echo_writer
from tests.graph.conftest import Chat, ChatFactory


def model_for(server: FakeOpenAI, *, timeout: float = 5.0) -> ChatOpenAI:
    """A chat model on the fake server, retrying nothing, as the pool builds its clients."""
    return ChatOpenAI(
        model="fake-model",
        base_url=server.base_url,
        api_key="test-key",
        timeout=timeout,
        max_retries=0,
        stream_usage=True,
    )


async def stream_turn(chat: Chat, text: str) -> list[Any]:
    """Run a turn; its custom stream (tool, card, text and reply events), in order."""
    return [
        event
        async for event in chat.graph.astream(
            TurnInput(text=text),
            chat.config,
            context=chat.context(),
            stream_mode="custom",
            durability="exit",
        )
    ]


def of_type(custom: list[Any], kind: str) -> list[dict[str, Any]]:
    return [e for e in custom if isinstance(e, dict) and e.get("type") == kind]


async def test_llm_unsure_reading_is_classified_with_structured_output(
    new_chat: ChatFactory, openai_server: FakeOpenAI
) -> None:
    openai_server.default = echo_writer()
    openai_server.script(
        Reply(
            kind="structured",
            structured={"intent": "add_items", "items": [{"item": "tiramisu", "quantity": 2}]},
        )
    )
    chat = new_chat(chat_model=model_for(openai_server))
    turn = await chat.say("gimme a couple of those coffee-soaked italian cake things")

    [classify] = openai_server.of_kind("structured")
    assert classify.body["response_format"]["type"] == "json_schema"
    assert classify.body["response_format"]["json_schema"]["name"] == "Classification"
    assert classify.last_text("user") == "gimme a couple of those coffee-soaked italian cake things"
    assert "tiramisu: Tiramisu" in classify.last_text("system")  # the menu keys it may use
    assert turn.state["intent"] == "add_items"
    assert [(line.item, line.quantity) for line in await chat.cart_lines()] == [("tiramisu", 2)]
    # The words the offline reading could not place were read by the model: no "did you mean".
    assert "couldn't find" not in turn.reply
    assert turn.reply.startswith("Sure thing! ") and "$15.00" in turn.reply


async def test_llm_sure_reading_does_not_ask_the_classifier(
    new_chat: ChatFactory, openai_server: FakeOpenAI
) -> None:
    openai_server.default = echo_writer()
    chat = new_chat(chat_model=model_for(openai_server))
    turn = await chat.say("a coke")
    assert openai_server.of_kind("structured") == []
    assert [r.kind for r in openai_server.requests] == ["text"]  # only the reply was written
    assert [line.item for line in await chat.cart_lines()] == ["coke"]
    assert turn.reply.startswith("Sure thing! ") and "coca-cola ($3.00)" in turn.reply


async def test_llm_model_invents_an_item_the_menu_lacks(
    new_chat: ChatFactory, openai_server: FakeOpenAI
) -> None:
    openai_server.default = echo_writer()
    openai_server.script(
        Reply(
            kind="structured",
            structured={
                "intent": "add_items",
                "items": [
                    {"item": "lobster_thermidor", "quantity": 1},
                    {
                        "item": "coke",
                        "quantity": 2,
                        "choices": [{"group": "drink_size", "option": "gallon"}],
                    },
                ],
            },
        )
    )
    chat = new_chat(chat_model=model_for(openai_server))
    await chat.say("gimme a couple of those fizzy brown things and a posh lobster thing")
    lines = await chat.cart_lines()
    # Only what the menu has: the invented dish and the invented size are dropped.
    assert [(line.item, line.quantity) for line in lines] == [("coke", 2)]
    assert all(c.option != "gallon" for c in lines[0].choices)


async def test_llm_reply_streams_token_by_token(
    new_chat: ChatFactory, openai_server: FakeOpenAI
) -> None:
    openai_server.default = echo_writer("Coming right up! ")
    chat = new_chat(chat_model=model_for(openai_server))
    custom = await stream_turn(chat, "two large pepperoni pizzas")

    texts = [e["delta"] for e in of_type(custom, "text")]
    assert len(texts) >= 5  # streamed a word at a time, not in one piece
    [reply] = of_type(custom, "reply")
    assert "".join(texts) == reply["text"]
    assert reply["text"].startswith("Coming right up! ")
    assert "pepperoni pizzas ($37.00)" in reply["text"]
    # The stored reply keeps the streamed message's id, so nothing is sent twice.
    assert {e["id"] for e in of_type(custom, "text")} == {reply["id"]}
    state = (await chat.graph.aget_state(chat.config)).values
    assert state["messages"][-1].id == reply["id"]
    assert state["messages"][-1].content == reply["text"]
    assert state["messages"][-1].additional_kwargs["cards"][0]["name"] == "CART_CARD"
    # The writer was given the facts: the draft and the cart card.
    [request] = openai_server.of_kind("text")
    assert request.stream
    assert '"card": "CART_CARD"' in request.last_text("user")


async def test_llm_classifier_output_is_never_streamed_as_text(
    new_chat: ChatFactory, openai_server: FakeOpenAI
) -> None:
    openai_server.default = echo_writer()
    openai_server.script(
        Reply(kind="structured", structured={"intent": "add_items", "items": [{"item": "cannoli"}]})
    )
    chat = new_chat(chat_model=model_for(openai_server))
    custom = await stream_turn(chat, "one of them sicilian pastry tubes")
    assert [line.item for line in await chat.cart_lines()] == ["cannoli"]
    texts = of_type(custom, "text")
    [reply] = of_type(custom, "reply")
    assert texts and {e["id"] for e in texts} == {reply["id"]}  # only the reply streams
    assert not any("intent" in e["delta"] for e in texts)  # no JSON reading shown as text


async def test_llm_reply_with_an_invented_price_is_refused(
    new_chat: ChatFactory, openai_server: FakeOpenAI
) -> None:
    openai_server.script(Reply(kind="text", text="Added a coke for just $1.99, a steal! More?"))
    chat = new_chat(chat_model=model_for(openai_server))
    custom = await stream_turn(chat, "a coke")
    [reply] = of_type(custom, "reply")
    assert "$1.99" not in reply["text"]
    assert "coca-cola ($3.00)" in reply["text"]  # the nodes' own wording
    texts = of_type(custom, "text")
    streamed = "".join(e["delta"] for e in texts)
    assert streamed == "Added a coke for just "  # stopped before the invented price
    assert reply["id"] not in {e["id"] for e in texts}  # a new message: the streamed one stopped


async def test_llm_free_form_question_is_answered_with_a_tool_call_round_trip(
    new_chat: ChatFactory, openai_server: FakeOpenAI
) -> None:
    openai_server.default = echo_writer("")
    openai_server.script(
        Reply(kind="structured", structured={"intent": "unknown"}),
        Reply(kind="tools", tool_calls=[("search_menu", {"tags": ["vegan"], "max_price": 6})]),
        Reply(kind="tools", text="On a rainy evening the Mango Sorbet is a bright vegan pick."),
    )
    chat = new_chat(chat_model=model_for(openai_server))
    turn = await chat.say("what would the chef pick for a rainy evening?")

    first, second = openai_server.of_kind("tools")
    assert sorted(first.tool_names) == [
        "describe_item",
        "get_order_status",
        "search_menu",
        "view_cart",
    ]
    # No tool lets the model say who the customer is.
    for tool in first.body["tools"]:
        assert not {"user_id", "session_id", "runtime"} & set(
            tool["function"]["parameters"].get("properties", {})
        )
    call = turn.tool("search_menu")
    assert call["args"] == {"tags": ["vegan"], "max_price": "6"}
    tool_messages = [m for m in second.body["messages"] if m["role"] == "tool"]
    assert len(tool_messages) == 1
    assert tool_messages[0]["tool_call_id"] == call["id"]  # the model's own call id, end to end
    assert "Mango Sorbet (mango_sorbet) $5.50" in tool_messages[0]["content"]
    assert turn.reply == "On a rainy evening the Mango Sorbet is a bright vegan pick."


async def test_llm_malformed_classification_falls_back_to_the_offline_reading(
    new_chat: ChatFactory, openai_server: FakeOpenAI
) -> None:
    openai_server.default = echo_writer()
    openai_server.script(Reply(kind="structured", raw_content='{"intent": "add_it'))
    chat = new_chat(chat_model=model_for(openai_server), confidence_threshold=0.99)
    turn = await chat.say("a coke")
    assert openai_server.count(kind="structured") == 1
    assert turn.state["intent"] == "add_items"
    assert [line.item for line in await chat.cart_lines()] == ["coke"]


async def test_llm_timeouts_fall_back_to_the_offline_answer(
    new_chat: ChatFactory, openai_server: FakeOpenAI
) -> None:
    openai_server.default = lambda _: Reply(text="too late", delay=3.0)
    chat = new_chat(chat_model=model_for(openai_server, timeout=0.5), confidence_threshold=0.99)
    started = time.monotonic()
    turn = await chat.say("a coke")
    elapsed = time.monotonic() - started
    assert openai_server.count(kind="structured") == 1
    assert openai_server.count(kind="text") == 1
    assert [line.item for line in await chat.cart_lines()] == ["coke"]
    assert "coca-cola ($3.00)" in turn.reply  # the offline wording
    assert "too late" not in turn.reply
    assert elapsed < 5.0  # two half-second timeouts, not two three-second answers


async def test_llm_tool_arguments_the_tool_refuses_are_reported_to_the_model(
    new_chat: ChatFactory, openai_server: FakeOpenAI
) -> None:
    openai_server.default = echo_writer("")
    openai_server.script(
        Reply(kind="structured", structured={"intent": "unknown"}),
        Reply(kind="tools", tool_calls=[("describe_item", {"name": "tiramisu"})]),
        Reply(kind="tools", text="Sorry, I couldn't look that up just now."),
    )
    chat = new_chat(chat_model=model_for(openai_server))
    turn = await chat.say("is the chef italian?")
    second = openai_server.of_kind("tools")[1]
    [tool_message] = [m for m in second.body["messages"] if m["role"] == "tool"]
    assert "item" in tool_message["content"]  # the validation error names the missing argument
    assert turn.reply == "Sorry, I couldn't look that up just now."
    assert json.dumps(turn.tools) == "[]"  # the tool never ran
