"""Decoding benchmark: per-format recall / misreads / median ms for each decoder and for the chosen
pipeline on the shared corpus, plus the frame-budget figures of the camera pipeline.

    python -m bench.bench_decoding [--corpus PATH] [--json OUT] [--only FOLDER ...] [--skip-corpus]
                                   [--skip-stream] [--quick]

Counting follows ``../shared/corpus/README.md``: a hit when a decoded text equals the expected one after
stripping whitespace (UPC-A 12 digits == EAN-13 with a leading 0); a misread for every decoded text that
is not the expected one; in ``falsepositives-*`` every read counts. The chosen pipeline runs with the
site default formats plus the folder's own format (as a site that enabled it would); the raw decoders
run with their own defaults (all formats).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from hardware.decoding import (
    DEFAULT_FORMATS,
    DecodedCode,
    Decoder,
    opencv_decode,
    pyzbar_decode,
    to_gray,
    zxing_decode,
)

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
RESULTS = REPO_ROOT / "bench" / "results" / "decoding.json"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff"}

#: corpus folder prefix → site format name (None: no barcode expected)
FOLDER_FORMATS = {
    "code128": "code128",
    "code39": "code39",
    "datamatrix": "datamatrix",
    "ean13": "ean_upc",
    "ean8": "ean_upc",
    "upca": "ean_upc",
    "upce": "ean_upc",
    "itf": "itf",
    "qrcode": "qr",
    "rss14": "databar",
    "rssexpanded": "databar",
    "falsepositives": None,
}

DecodeFn = Callable[[np.ndarray], list[DecodedCode]]


def _zxing_then_pyzbar(gray: np.ndarray) -> list[DecodedCode]:
    return zxing_decode(gray) or pyzbar_decode(gray)


RAW_DECODERS: dict[str, DecodeFn] = {
    "zxing-cpp": lambda g: zxing_decode(g),
    "pyzbar": lambda g: pyzbar_decode(g),
    "opencv": opencv_decode,
    "zxing+pyzbar": _zxing_then_pyzbar,
}


@dataclass
class Tally:
    images: int = 0
    hits: int = 0
    misreads: int = 0
    reads: int = 0
    ms: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "images": self.images,
            "hits": self.hits,
            "recall": round(self.hits / self.images, 3) if self.images else None,
            "misreads": self.misreads,
            "reads": self.reads,
            "median_ms": round(statistics.median(self.ms), 2) if self.ms else None,
        }


def _norm(text: str) -> str:
    # The corpus .txt files were saved with LF line ends; QR payloads often hold CRLF.
    text = text.replace("\r\n", "\n").strip()
    return "0" + text if len(text) == 12 and text.isdigit() else text


def _folder_format(name: str) -> tuple[bool, str | None]:
    prefix = name.rsplit("-", 1)[0]
    if prefix not in FOLDER_FORMATS:
        raise KeyError(prefix)
    return prefix == "falsepositives", FOLDER_FORMATS[prefix]


def run_corpus(corpus: Path, only: list[str] | None) -> dict[str, dict[str, dict[str, object]]]:
    """Return {folder: {decoder: tally dict}} and print the table."""
    results: dict[str, dict[str, dict[str, object]]] = {}
    folders = sorted(p for p in corpus.iterdir() if p.is_dir())
    if only:
        folders = [p for p in folders if p.name in only]
    for folder in folders:
        try:
            is_fp, fmt = _folder_format(folder.name)
        except KeyError:
            print(f"skipping {folder.name}: unknown format folder")
            continue
        pipeline = Decoder(DEFAULT_FORMATS | {fmt} if fmt else DEFAULT_FORMATS)
        decoders: dict[str, DecodeFn] = {**RAW_DECODERS, "pipeline": pipeline.decode}
        tallies = {name: Tally() for name in decoders}
        for img_path in sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES):
            expected_path = img_path.with_suffix(".txt")
            if not is_fp and not expected_path.exists():
                continue
            image = cv2.imread(str(img_path), cv2.IMREAD_COLOR)
            if image is None:
                print(f"  cannot read {img_path.name}, skipped")
                continue
            expected = None if is_fp else _norm(expected_path.read_text(encoding="utf-8", errors="replace"))
            gray = to_gray(image)
            for name, fn in decoders.items():
                t0 = time.perf_counter()
                codes = fn(gray)
                tally = tallies[name]
                tally.ms.append((time.perf_counter() - t0) * 1000)
                tally.images += 1
                texts = {_norm(c.text) for c in codes}
                tally.reads += len(texts)
                if expected is not None and expected in texts:
                    tally.hits += 1
                wrong = texts - {expected} if expected is not None else texts
                tally.misreads += len(wrong)
                if wrong and name == "pipeline":
                    logger.info(
                        "%s/%s: pipeline read %r, expected %r (%s)",
                        folder.name,
                        img_path.name,
                        wrong,
                        expected,
                        [c.decoder for c in codes],
                    )
        results[folder.name] = {name: t.as_dict() for name, t in tallies.items()}
    _print_table(results)
    return results


def _print_table(results: dict[str, dict[str, dict[str, object]]]) -> None:
    if not results:
        return
    names = list(next(iter(results.values())))
    header = f"{'folder':18s} {'n':>3s} | " + " | ".join(f"{n:^22s}" for n in names)
    print(header)
    print(f"{'':18s} {'':>3s} | " + " | ".join(f"{'recall mis   ms':^22s}" for _ in names))
    print("-" * len(header))
    for folder, row in results.items():
        n = next(iter(row.values()))["images"]
        cells = []
        for name in names:
            t = row[name]
            if folder.startswith("falsepositives"):
                cells.append(f"{'reads ' + str(t['reads']):>10s} {t['median_ms']:>9.1f}  ")
            else:
                cells.append(f"{t['recall']:>6.2f} {t['misreads']:>3d} {t['median_ms']:>9.1f}   ")
        print(f"{folder:18s} {n:>3d} | " + " | ".join(f"{c:^22s}" for c in cells))


def noisy_empty_frame(seed: int = 0, width: int = 1280, height: int = 720) -> np.ndarray:
    """A bench with no barcode: smooth shading plus sensor noise, BGR."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width]
    base = 110 + 40 * np.sin(xx / 300.0) * np.cos(yy / 200.0)
    gray = np.clip(base + rng.normal(0, 12, (height, width)), 0, 255).astype(np.uint8)
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)


def bench_empty_frame(repeats: int = 30) -> dict[str, float]:
    frame = noisy_empty_frame()
    gray = to_gray(frame)
    out = {}
    for name, fn in {
        "zxing-cpp defaults": lambda: zxing_decode(gray),
        "pyzbar defaults": lambda: pyzbar_decode(gray),
        "pipeline (site formats)": lambda: Decoder().decode(frame),
    }.items():
        fn()
        ts = []
        for _ in range(repeats if "pyzbar" not in name else max(3, repeats // 5)):
            t0 = time.perf_counter()
            reads = fn()
            ts.append((time.perf_counter() - t0) * 1000)
        out[name] = round(statistics.median(ts), 2)
        print(f"empty 1280x720 frame, {name:26s}: median {out[name]:6.1f} ms, reads {len(reads)}")
    return out


def _stream_frames(n: int, with_code_from: int | None = None) -> list[np.ndarray]:
    """1280x720 frames: a noisy bench; from frame ``with_code_from`` on, an EAN-13 label in view."""
    import zxingcpp

    label = np.array(zxingcpp.create_barcode("5901234123457", zxingcpp.BarcodeFormat.EAN13).to_image(scale=3))
    label = cv2.resize(label, (label.shape[1], label.shape[1] // 3), interpolation=cv2.INTER_NEAREST)
    label = cv2.copyMakeBorder(label, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)
    frames = []
    for i in range(n):
        frame = noisy_empty_frame(seed=i % 8)
        if with_code_from is not None and i >= with_code_from:
            y, x = 200, 300 + 3 * (i % 10)
            frame[y : y + label.shape[0], x : x + label.shape[1]] = label[..., None]
        frames.append(frame)
    return frames


def _write_video(path: Path, frames: list[np.ndarray], fps: float) -> None:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (frames[0].shape[1], frames[0].shape[0]))
    for f in frames:
        writer.write(f)
    writer.release()


class _Recorder:
    """ScanListener for the benchmark: remembers when each scan arrived."""

    def __init__(self) -> None:
        self.scan_times: list[float] = []
        self.done = threading.Event()

    def scan_received(self, scan: object) -> None:
        self.scan_times.append(time.monotonic())

    def scan_rejected(self, source: str, reason: str, raw: bytes) -> None:
        pass

    def state_changed(self, source: str, state: object, detail: str) -> None:
        if getattr(state, "value", "") == "stopped":
            self.done.set()


def bench_stream(seconds: float = 6.0, fps: float = 30.0) -> dict[str, float]:
    """Sustained fps of the camera pipeline on a 1280x720, 30 fps video (file paced in real time), with a
    label in view half of the time. The main thread stands in for the GUI: a 5 ms timer whose lateness
    is its stall, converting the newest frame to RGB as a preview would."""
    from hardware.camera import CameraScanner
    from tests.imaging import frame_to_rgb

    n = int(seconds * fps)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stream.avi"
        _write_video(path, _stream_frames(n, with_code_from=n // 2), fps)
        rec = _Recorder()
        latest: list[np.ndarray] = []
        cam = CameraScanner(str(path), rec, frame_listener=lambda f, c: latest.append(f))
        t0 = time.perf_counter()
        cam.start()
        lateness: list[float] = []
        while not rec.done.is_set():
            s0 = time.perf_counter()
            time.sleep(0.005)
            if latest:
                frame_to_rgb(latest.pop())
                latest.clear()
            lateness.append((time.perf_counter() - s0 - 0.005) * 1000)
        cam.wait_finished(5)
        cam.stop()
        wall = time.perf_counter() - t0
    st = cam.stats
    out = {
        "frames_read": st.frames_read,
        "frames_decoded": st.frames_decoded,
        "frames_dropped": st.frames_dropped,
        "decoded_fps": round(st.frames_decoded / wall, 1),
        "decode_ms_mean": round(st.decode_ms_mean, 2),
        "decode_ms_max": round(st.decode_ms_max, 2),
        "gui_stall_ms_max": round(max(lateness), 2) if lateness else 0.0,
        "gui_stall_ms_p99": round(float(np.percentile(lateness, 99)), 2) if lateness else 0.0,
    }
    print(f"stream 1280x720 @ {fps:.0f} fps for {seconds:.0f} s: {out}")
    return out


def bench_latency(trials: int = 5, fps: float = 30.0) -> dict[str, float]:
    """Time from the first video frame holding a barcode to the scan, through CameraScanner (real-time
    file playback, default 2-of-3 stability filter). Measured from when that frame is due on the
    video clock."""
    from hardware.camera import CameraScanner

    enter_at = 15
    latencies = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "latency.avi"
        _write_video(path, _stream_frames(enter_at + 30, with_code_from=enter_at), fps)
        for _ in range(trials):
            rec = _Recorder()
            cam = CameraScanner(str(path), rec)
            t0 = time.monotonic()
            cam.start()
            rec.done.wait(10)
            cam.wait_finished(5)
            cam.stop()
            if rec.scan_times:
                # The capture thread starts pacing at its first read; opening the file takes a few ms,
                # which this measure counts against us.
                latencies.append((rec.scan_times[0] - (t0 + enter_at / fps)) * 1000)
    out = {
        "trials": trials,
        "scanned": len(latencies),
        "median_ms": round(statistics.median(latencies), 1) if latencies else None,
        "max_ms": round(max(latencies), 1) if latencies else None,
    }
    print(f"barcode enters frame -> scan: {out}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", type=Path, default=RESULTS)
    parser.add_argument("--only", nargs="*", help="corpus folders to run (default: all)")
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--skip-stream", action="store_true")
    parser.add_argument("--quick", action="store_true", help="smoke run: raw decoders on 3 folders, short stream")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    report: dict[str, object] = {"machine_cpus": os.cpu_count()}
    if args.skip_corpus:
        pass
    elif not args.corpus.is_dir():
        print(f"corpus not found at {args.corpus}: skipping the recall table (pass --corpus PATH)")
    else:
        only = args.only or (["code128-2", "ean13-2", "falsepositives-1"] if args.quick else None)
        report["corpus"] = run_corpus(args.corpus, only)
    report["empty_frame_ms"] = bench_empty_frame()
    if not args.skip_stream:
        report["stream"] = bench_stream(seconds=2.0 if args.quick else 6.0)
        report["latency"] = bench_latency(trials=2 if args.quick else 5)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
