"""The restaurant ordering agent: a LangGraph state machine, runnable without Litestar or SQL.

Running a turn, as the service's chat runner does (`restaurant.chat.runner`)::

    graph = build_graph(checkpointer=saver)            # graph.builder; compile once per process
    context = Context(session_id=sid, user_id=session_user, menu=..., cart=..., orders=...,
                      identity=..., lexicon=lexicon, chat_model=None)
    config = {"configurable": {"thread_id": sid}}
    async for mode, chunk in graph.astream(TurnInput(text="two large pizzas"), config,
                                           context=context, durability="exit",
                                           stream_mode=["custom", "tasks", "values"]):
        ...

``durability="exit"`` writes the checkpoint once, when the turn ends, rather than after every
step. The three stream modes:

- ``tasks``: a node starting (the chunk has ``input``) and ending (``result`` or ``error``);
  the service turns them into AG-UI steps.
- ``values``: the whole state after each step; the last one is the turn's outcome.
- ``custom``: what the nodes and tools write with ``runtime.stream_writer``, in the order it
  happens:

  - a tool call, written by the tool itself on the offline and the model path alike::

        {"type": "tool", "id": "call_...", "name": "add_to_cart", "args": {...}, "result": "text"}

  - a card, as soon as a node makes it (names, builders and data in ``graph.cards``)::

        {"type": "card", "name": "CART_CARD", "data": {"lines": [...], "subtotal": "31.50", ...}}

  - with a chat model, the reply's wording as it streams (``graph.llm.write_reply``)::

        {"type": "text", "id": "<AIMessage id>", "delta": "Added 2 large"}

  - the reply, last, once per turn (when the model's wording is kept, with its pieces' id)::

        {"type": "reply", "id": "<AIMessage id>", "text": "Added 2 large pizzas ... Anything else?"}

LangGraph's ``messages`` mode is not needed: the reply streams its own text on ``custom``.

The reply is also the turn's last ``AIMessage`` in ``State.messages`` (the ``respond`` node's
update), with the turn's cards in ``additional_kwargs["cards"]``, so history with cards can be
rebuilt from the checkpoint. ``State.quick_replies`` holds the answers offered with the reply
("Yes"/"No", the lines a "which one?" means) and ``State.awaiting`` what it asks.

Build the ``Lexicon`` once per menu (``Lexicon.from_menu``) and pass it in every ``Context``;
without one, each request builds its own.
"""
