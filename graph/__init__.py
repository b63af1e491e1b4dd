"""The restaurant ordering agent: a LangGraph state machine, runnable without Litestar or SQL.

Running a turn (one checkpoint write per turn with ``durability="exit"``)::

    graph = build_graph(checkpointer=saver)            # graph.builder; compile once per process
    context = Context(session_id=sid, user_id=session_user, menu=..., cart=..., orders=...,
                      identity=..., lexicon=lexicon, chat_model=None)
    config = {"configurable": {"thread_id": sid}}
    async for mode, event in graph.astream(TurnInput(text="two large pizzas"), config,
                                           context=context, durability="exit",
                                           stream_mode=["custom", "updates"]):
        ...

Events on the ``custom`` stream, in the order they happen:

- a tool call, written by the tool itself on the offline and the model path alike::

      {"type": "tool", "id": "call_...", "name": "add_to_cart", "args": {...}, "result": "text"}

- a card, as soon as a node makes it (``name`` is one of ``MENU_CARD``, ``CART_CARD``,
  ``ORDER_DATA``, ``AUTH_REQUIRED``; builders and data fields in ``graph.cards``)::

      {"type": "card", "name": "CART_CARD", "data": {"lines": [...], "subtotal": "31.50", ...}}

- the reply, last, once per turn::

      {"type": "reply", "id": "<AIMessage id>", "text": "Added 2 large pizzas ... Anything else?"}

The reply is also the turn's last ``AIMessage`` in ``State.messages`` (the ``respond`` node's
update), with the turn's cards in ``additional_kwargs["cards"]``, so history with cards can be
rebuilt from the checkpoint. ``State.quick_replies`` holds the answers offered with the reply
("Yes"/"No", the lines a "which one?" means) and ``State.awaiting`` what it asks.

Build the ``Lexicon`` once per menu (``Lexicon.from_menu``) and pass it in every ``Context``;
without one, each request builds its own.
"""
