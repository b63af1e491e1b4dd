"""Answers the fake server gives the graph's reply writer: the nodes' draft, reworded or not."""

from __future__ import annotations

from collections.abc import Callable

from tests.fakes.openai_server import Recorded, Reply


def draft_of(recorded: Recorded) -> str:
    """The draft reply the graph sent the reply writer."""
    text = recorded.last_text("user")
    start = text.index("Draft reply:\n") + len("Draft reply:\n")
    return text[start : text.index("\n\nFacts")]


def echo_writer(prefix: str = "Sure thing! ") -> Callable[[Recorded], Reply]:
    """A default answer: text requests get the draft back behind a prefix (a faithful rewrite)."""

    def answer(recorded: Recorded) -> Reply:
        if recorded.kind == "text" and "Draft reply:" in recorded.last_text("user"):
            return Reply(text=prefix + draft_of(recorded))
        return Reply(status=500, error="nothing scripted for this request")

    return answer


def steady_answers(recorded: Recorded) -> Reply:
    """Answers for load runs: the draft echoed, an `unknown` classification, a short answer."""
    if recorded.kind == "structured":
        return Reply(structured={"intent": "unknown"})
    if recorded.kind == "tools":
        return Reply(text="Sorry, I can't tell from the menu.")
    if "Draft reply:" in recorded.last_text("user"):
        return Reply(text=draft_of(recorded))
    return Reply(text="OK")
