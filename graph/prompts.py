"""Prompts the chat model reads (only when one is configured)."""

from __future__ import annotations

CLASSIFY = """You read one message a customer sent to a restaurant's ordering assistant and say
what they want. Intents: {intents}.
Use add_items for an order, with each item as a menu key (one of: {items}) and its quantity and
choices (group and option keys from the menu). change_item changes something already in the cart
("make that large"); refers_to_last is true when it points back without naming the item.
Fill phone, code, order_type (pickup, delivery, dine_in), address or order_number when the message
gives them. The assistant's last question was: {last_question}"""

__all__ = ["CLASSIFY"]
