"""The offline understanding: a menu's lexicon, and `read` from a message to a `Reading`.

    lex = Lexicon.from_menu(load_menu("menus/pizzeria.json"))   # once per menu, a few ms
    read(lex, "two large pizzas with ham, no onions").to_json()  # pure, thread-safe, no I/O

Modules, one concern each:

- `text`: lowercasing and tokenizing; menu aliases go through the same function.
- `words`: the ordering language no menu spells out (numbers, amounts, negations, fillers).
- `lexicon`: item and option surface forms of one menu (labels, keys, aliases, plurals,
  run-together and short forms), typo correction off the hot path, `suggest` for unknown dishes.
- `grammar`: spans, then order lines: quantities, options before and after the item noun,
  qualifiers, negation scope, "two pizzas, one with ham", options with no item ("a large
  pepperoni" at a pizzeria is a pizza).
- `intent`: rule-based intents and their details (phone, code, address, price ceiling, tags).
- `reader`: `read`, which puts the three together.

Conventions, as in the dev orders: only what was said (no defaults), `quantity` 1 when none is
said, an option said before or after the item noun belongs to it, "cheese pizza" is a pizza with
cheese, "veggie pie" a pizza of style vegetarian, and "a side of chips and guac" one side, the
one named last (the menus' sources record "chips and guacamole" as a single side).
"""

from graph.nlu.lexicon import Lexicon
from graph.nlu.reader import read, requests
from graph.nlu.reading import Choice, OrderLine, Reading

__all__ = ["Choice", "Lexicon", "OrderLine", "Reading", "read", "requests"]
