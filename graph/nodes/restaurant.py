"""Questions about the restaurant itself: open or not, hours, delivery area, waits, where it is.
No sign-in is needed for any of them; the answers come from the menu's `restaurant.info`."""

from __future__ import annotations

import re
from typing import Any

from langgraph.runtime import Runtime

from graph.context import Context
from graph.intents import OrderType
from graph.nodes.turn import Reply
from graph.state import State
from graph.venue import (
    answer_closing,
    answer_delivery,
    answer_delivery_to,
    answer_hours,
    answer_location,
    answer_open,
    answer_phone,
    answer_wait,
)

_POSTCODE = re.compile(r"\b(\d{5}(?:-\d{4})?|[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2})\b", re.I)
# The question's topic, first match wins: (topic, pattern).
_TOPICS = (
    ("wait", re.compile(r"\bhow (?:long|soon|fast|quick)|wait|prep", re.I)),
    ("delivery", re.compile(r"\bdeliver|delivery|ship|bring", re.I)),
    ("closing", re.compile(r"\bclos|until when|till when|how late|stay open", re.I)),
    ("hours", re.compile(r"\bhours|what time|when do you open|opening", re.I)),
    ("open", re.compile(r"\bopen", re.I)),
    ("phone", re.compile(r"\bphone|call", re.I)),
    ("location", re.compile(r"\bwhere|address|located|location", re.I)),
)


async def answer_restaurant(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Answer "are you open?", "do you deliver to 10001?", "how long for pickup?" and the like."""
    ctx = runtime.context
    reply = Reply(state, runtime)
    reading = state.reading
    assert reading is not None
    restaurant = (await ctx.menu.get_menu()).restaurant
    text = reading.text
    now = ctx.clock()
    topic = next((name for name, rx in _TOPICS if rx.search(text)), "hours")
    if topic == "wait":
        delivery = bool(re.search(r"\bdeliver", text, re.I))
        order_type = OrderType.DELIVERY if delivery else OrderType.PICKUP
        reply.line(answer_wait(restaurant, order_type, now))
    elif topic == "delivery":
        postcode = _POSTCODE.search(text)
        if postcode is not None:
            reply.line(answer_delivery_to(restaurant, postcode.group(1)))
        else:
            reply.line(answer_delivery(restaurant))
    elif topic == "closing":
        reply.line(answer_closing(restaurant, now))
    elif topic == "open":
        reply.line(answer_open(restaurant, now))
    elif topic == "phone":
        reply.line(answer_phone(restaurant))
    elif topic == "location":
        reply.line(answer_location(restaurant))
    else:
        reply.line(answer_hours(restaurant, now))
    return reply.update()


__all__ = ["answer_restaurant"]
