"""Devices at the bench: scanners (keyboard wedge, serial, simulated) and the camera.

Each device owns its thread and reports through a small listener interface or Qt signals (QtCore only);
nothing here imports the domain (`station`), `sync` or `ui`.
"""

import os as _os

# Still images (`packgate decode`) go through OpenCV's decoder, which allocates the full picture before we
# see it: a 440 kB PNG of 20000x20000 pixels took 2.4 GB. OpenCV reads this limit once, when cv2 is first
# imported, so it is set here, before any device module imports cv2. 64 MP is above any phone photo of a
# label; camera frames never pass through it.
_os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(64 * 1024 * 1024))
