"""Devices at the bench: scanners (keyboard wedge, serial, simulated) and the camera.

Each device owns its thread and reports through a small listener interface or Qt signals (QtCore only);
nothing here imports the domain (`station`), `sync` or `ui`.
"""
