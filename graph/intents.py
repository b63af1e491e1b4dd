"""What a customer can mean by a message: the intents the graph routes on."""

from __future__ import annotations

from enum import StrEnum


class Intent(StrEnum):
    """One customer intent; `add_items` is an order."""

    GREET = "greet"
    # "show me the menu", "what's vegetarian?", "anything spicy under $12?"
    BROWSE_MENU = "browse_menu"
    ASK_ITEM = "ask_item"  # price, sizes, ingredients, options of an item; "how much is that?"
    # "are you open?", "do you deliver to 10001?", "how long for pickup?"
    ASK_RESTAURANT = "ask_restaurant"
    ADD_ITEMS = "add_items"
    REMOVE_ITEMS = "remove_items"
    # "make that large", "actually 3 of them", "no onions on the burger", "switch the coke
    # to a sprite", "make one of them thin crust"
    CHANGE_ITEM = "change_item"
    REPEAT_ITEMS = "repeat_items"  # "same again", "one more of those", "another one"
    VIEW_CART = "view_cart"
    CLEAR_CART = "clear_cart"  # "start over"
    CHECKOUT = "checkout"
    ORDER_STATUS = "order_status"
    CANCEL_ORDER = "cancel_order"
    PROVIDE_PHONE = "provide_phone"
    PROVIDE_CODE = "provide_code"
    RESEND_CODE = "resend_code"
    HELP = "help"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    WAIT = "wait"  # "hmm let me think", "one sec"
    # "there are 5 of us", "lunch for 6 coworkers": whom the order is for, nothing ordered yet
    PARTY = "party"
    AFFIRM = "affirm"  # "yes", "that's all" answers to a question the assistant asked
    DENY = "deny"
    UNKNOWN = "unknown"


class OrderType(StrEnum):
    """How the customer gets the food."""

    PICKUP = "pickup"
    DELIVERY = "delivery"
    DINE_IN = "dine_in"
