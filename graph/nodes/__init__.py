"""The graph's nodes, one flow a module; each node is a verb and returns a partial update.

- `understand`: read the message with the conversation in mind, route (`graph.routes`);
- `signin`: `sign_in`, the phone and code before checkout or order history;
- `menu`: `show_menu`, `answer_question`;
- `restaurant`: `answer_restaurant` (hours, delivery area, waits);
- `cart`: `add_items`, `edit_cart`, `show_cart`, `clear_cart`;
- `checkout`: `check_out`;
- `orders`: `track_order`, `cancel_order`;
- `talk`: `chat` (greetings, help, thanks), `clarify`;
- `reply`: `respond`, the turn's one message.

Each flow adds its part of the reply to `say` and its cards to `cards` (writing each card on the
custom stream as it is made) through `turn.Reply`. Actions go through the tools in
`graph.tools`, exactly as a model would call them.
"""

from graph.nodes.cart import add_items, clear_cart, edit_cart, show_cart
from graph.nodes.checkout import check_out
from graph.nodes.menu import answer_question, show_menu
from graph.nodes.orders import cancel_order, track_order
from graph.nodes.reply import respond
from graph.nodes.restaurant import answer_restaurant
from graph.nodes.signin import sign_in
from graph.nodes.talk import chat, clarify
from graph.nodes.understand import understand

__all__ = [
    "add_items",
    "answer_question",
    "answer_restaurant",
    "cancel_order",
    "chat",
    "check_out",
    "clarify",
    "clear_cart",
    "edit_cart",
    "respond",
    "show_cart",
    "show_menu",
    "sign_in",
    "track_order",
    "understand",
]
