"""Pure rules shared by the station and the central service (no I/O, no imports of ours).

Why a package of its own: the central service may import no ``station`` module (import-linter contract
in pyproject.toml), yet it must refuse exactly the orders a station would refuse, with the same words.
Copying the numbers into two places let them drift apart (the wire allowed 100000 units per line, the
station's order files 9999). Rules that both ends need live here once: ``station`` and ``sync`` import
``rules``; ``rules`` imports nothing of ours, only the standard library.

``rules.scan_text`` holds what the devices (``hardware``) and the station's scan parser both read from a
scanner's text: the GS separator, the UPC-E expansion and the decoder-name → AIM identifier table.
``hardware`` may import ``rules`` (never ``station``), so this is their one neutral home.
"""
