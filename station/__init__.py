"""PackGate station core: orders, barcode rules, pack verdicts, incidents and their durable storage.

Nothing in this package imports Qt, device libraries or HTTP clients (checked by import-linter, see
pyproject.toml), so every rule here runs in a plain test without a screen or a device.
"""

__version__ = "0.1.0"
