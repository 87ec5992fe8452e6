"""The verdict sounds of the packer screen (`SoundPlayer`): a short wav per verdict tone, played without
waiting, silent when muted or when the machine has no audio device."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl

logger = logging.getLogger(__name__)

SOUNDS_DIR = Path(__file__).resolve().parent / "assets" / "sounds"


class SoundPlayer:
    """Plays the verdict sounds with QSoundEffect; silent when muted or when there is no audio device.

    Effects are created on first use (a muted station never touches the audio stack) and kept, so a
    scan only calls `play()`. `last_played` records the last sound asked for, muted or not, so tests
    can check which sound a verdict chose without a sound card.
    """

    def __init__(self, muted: bool = False, folder: Path = SOUNDS_DIR) -> None:
        self.muted = muted
        self.folder = folder
        self.last_played: str | None = None
        self._effects: dict[str, Any] = {}
        self._broken = False

    def preload(self) -> None:
        if not self.muted:
            for wav in sorted(self.folder.glob("*.wav")):
                self._effect(wav.stem)

    def _effect(self, name: str) -> Any:
        effect = self._effects.get(name)
        if effect is None and not self._broken:
            try:
                from PySide6.QtMultimedia import QSoundEffect
            except ImportError as exc:  # Qt built without multimedia: degrade to silence
                logger.warning("no QtMultimedia, verdict sounds off: %s", exc)
                self._broken = True
                return None
            effect = QSoundEffect()
            effect.setSource(QUrl.fromLocalFile(str(self.folder / f"{name}.wav")))
            effect.setVolume(1.0)
            self._effects[name] = effect
        return effect

    def play(self, name: str | None) -> None:
        if name is None:
            return
        self.last_played = name
        if self.muted:
            return
        effect = self._effect(name)
        if effect is not None:
            effect.play()  # asynchronous: returns at once; without an audio device Qt just logs

    def stop(self) -> None:
        for effect in self._effects.values():
            effect.stop()
        self._effects.clear()
