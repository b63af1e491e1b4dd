"""The offline understanding: a menu's lexicon, and `read` from a message to a `Reading`."""

from graph.nlu.lexicon import Lexicon
from graph.nlu.reader import read
from graph.nlu.reading import Choice, OrderLine, Reading

__all__ = ["Choice", "Lexicon", "OrderLine", "Reading", "read"]
