"""Generate the verdict sounds in `ui/assets/sounds/` (run once; the WAVs are committed).

`python -m ui.assets.make_sounds` rewrites them. Each verdict family has a sound that differs in
pitch, rhythm *and* timbre, so a packer can tell them apart without looking and without relying on
pitch alone (noisy benches, hearing protection):

* ok       — one short rising sine chirp (pleasant, 120 ms) for every counted item;
* blocked  — a harsh low square-wave buzz, three pulses (900 ms): impossible to mistake for OK;
* warning  — two mid-pitch beeps (something needs attention, nothing was blocked);
* sealed   — a rising three-note arpeggio (the package is done);
* info     — a soft single tick (order loaded, undo, packer changed).

16-bit mono PCM at 44.1 kHz: the format every QSoundEffect backend plays without conversion.
"""

from __future__ import annotations

import logging
import wave
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

RATE = 44_100
SOUNDS_DIR = Path(__file__).resolve().parent / "sounds"


def _envelope(n: int, attack: float = 0.005, release: float = 0.03) -> np.ndarray:
    """Linear attack/release so no sound starts or stops with a click."""
    env = np.ones(n)
    a = min(int(attack * RATE), n // 2)
    r = min(int(release * RATE), n // 2)
    if a:
        env[:a] = np.linspace(0.0, 1.0, a)
    if r:
        env[-r:] = np.linspace(1.0, 0.0, r)
    return env


def _tone(freq_start: float, seconds: float, freq_end: float | None = None, square: bool = False) -> np.ndarray:
    n = int(seconds * RATE)
    freq = np.linspace(freq_start, freq_end or freq_start, n)
    phase = 2 * np.pi * np.cumsum(freq) / RATE
    wave_ = np.sign(np.sin(phase)) * 0.6 if square else np.sin(phase)
    return wave_ * _envelope(n)


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE))


def synthesize() -> dict[str, np.ndarray]:
    """The five sounds as float arrays in -1..1."""
    buzz = _tone(150, 0.22, square=True) + 0.5 * _tone(157, 0.22, square=True)  # beating = harsh
    return {
        "ok": _tone(1400, 0.12, 2000),
        "blocked": np.concatenate([buzz, _silence(0.06), buzz, _silence(0.06), buzz]) / 1.5,
        "warning": np.concatenate([_tone(880, 0.12), _silence(0.08), _tone(880, 0.12)]),
        "sealed": np.concatenate([_tone(660, 0.12), _tone(830, 0.12), _tone(990, 0.28)]),
        "info": _tone(1000, 0.05) * 0.5,
    }


def write_wav(path: Path, samples: np.ndarray, volume: float = 0.8) -> None:
    pcm = (np.clip(samples, -1.0, 1.0) * volume * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())


def main() -> int:
    SOUNDS_DIR.mkdir(parents=True, exist_ok=True)
    for name, samples in synthesize().items():
        write_wav(SOUNDS_DIR / f"{name}.wav", samples)
        logger.info("wrote %s", name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
