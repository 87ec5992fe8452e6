"""Print at seal: the packing slip and the shipping label of every sealed package.

``jobs`` (durable print jobs and their state machine, written in the seal's transaction), ``labels`` (the
label an order brought), ``slip_data`` (what the slip says), ``settings`` (printers and routes),
``reprint`` (``CMD:REPRINT``). The documents are made and sent by ``ui.printing``, off the seal path.
"""
