"""The chat-model hook: an unsure offline reading is handed to the model's structured output."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatResult
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import Field

from tests.graph.conftest import ChatFactory


class ScriptedModel(BaseChatModel):
    """Answers structured-output calls from a script; records what it was asked."""

    script: list[dict[str, Any]]
    asked: list[str] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        raise NotImplementedError("only structured output is scripted")

    def with_structured_output(self, schema: Any, **kwargs: Any) -> Runnable[Any, Any]:
        def answer(messages: list[BaseMessage]) -> Any:
            self.asked.append(str(messages[-1].content))
            return schema.model_validate(self.script.pop(0))

        return RunnableLambda(answer)


class BrokenModel(ScriptedModel):
    def with_structured_output(self, schema: Any, **kwargs: Any) -> Runnable[Any, Any]:
        def fail(messages: list[BaseMessage]) -> Any:
            raise RuntimeError("endpoint down")

        return RunnableLambda(fail)


async def test_unsure_reading_is_classified_by_the_model(new_chat: ChatFactory) -> None:
    model = ScriptedModel(
        script=[{"intent": "add_items", "items": [{"item": "tiramisu", "quantity": 2}]}]
    )
    chat = new_chat(chat_model=model, confidence_threshold=0.9)
    turn = await chat.say("gimme a couple of those coffee-soaked italian cake things")
    assert model.asked == ["gimme a couple of those coffee-soaked italian cake things"]
    assert turn.state["intent"] == "add_items"
    assert [(line.item, line.quantity) for line in await chat.cart_lines()] == [("tiramisu", 2)]


async def test_sure_reading_does_not_call_the_model(new_chat: ChatFactory) -> None:
    model = ScriptedModel(script=[])
    chat = new_chat(chat_model=model, confidence_threshold=0.5)
    await chat.say("a coke")
    assert model.asked == []
    assert [line.item for line in await chat.cart_lines()] == ["coke"]


async def test_failing_model_falls_back_to_the_offline_reading(new_chat: ChatFactory) -> None:
    chat = new_chat(chat_model=BrokenModel(script=[]), confidence_threshold=1.1)
    turn = await chat.say("a coke")
    assert turn.state["intent"] == "add_items"
    assert [line.item for line in await chat.cart_lines()] == ["coke"]
