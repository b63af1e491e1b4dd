"""The JSON Schema of what the chat's events carry, from the Python shapes that define it.

One root object, `Cards`, maps each card's name to its data (TypeScript's `Cards["CART_CARD"]`);
`CardName` lists the names as an enum (a runtime list for the frontend); `$defs` holds every shape,
the values of the STATE_SNAPSHOT and SESSION_TOKEN events (`restaurant.agui.mapping`) included.
`frontend/`'s `npm run wire` pipes `python -m restaurant.agui.schema` through json2ts into
`frontend/src/chat/wire.gen.ts`, and a test fails when that file is not what they make now.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode
from pydantic_core import CoreSchema

from graph.cards import CARD_DATA
from restaurant.agui.mapping import SessionToken, StateSnapshot

REF = "#/$defs/{model}"
# The values of our own events beside the cards: a STATE_SNAPSHOT's, a SESSION_TOKEN's.
EVENT_VALUES: tuple[type[Any], ...] = (StateSnapshot, SessionToken)


class _Shapes(GenerateJsonSchema):
    """Titles only on the named shapes: json2ts makes a type alias of every titled field."""

    def field_title_should_be_set(self, schema: CoreSchema) -> bool:
        """Never: a field is named by its key."""
        return False


def wire_schema() -> dict[str, Any]:
    """The JSON Schema of every card (and the names of all) and event value, as one document."""
    mode: JsonSchemaMode = "serialization"
    shapes: list[tuple[str, type[Any]]] = [*CARD_DATA.items()]
    shapes += [(shape.__name__, shape) for shape in EVENT_VALUES]
    refs, top = TypeAdapter.json_schemas(
        [(key, mode, TypeAdapter(shape)) for key, shape in shapes],
        ref_template=REF,
        schema_generator=_Shapes,
    )
    names = list(CARD_DATA)
    defs: dict[str, Any] = dict(top.get("$defs", {}))
    defs["CardName"] = {
        "title": "CardName",
        "description": "The name of a card: its CUSTOM event's name.",
        "type": "string",
        "enum": names,
        "tsEnumNames": names,
    }
    return {
        "title": "Cards",
        "description": "Each card's data by the card's name (graph/cards.py).",
        "type": "object",
        "properties": {name: refs[(name, mode)] for name in names},
        "required": names,
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


def main() -> None:
    """Write the schema to standard output."""
    json.dump(wire_schema(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()


__all__ = ["wire_schema"]
