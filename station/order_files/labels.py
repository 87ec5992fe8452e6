"""The shipping label an order may bring (see ``rules.labels``), as order files write it.

JSON: ``"label"`` on the order, an object with exactly one of

* ``"zpl"``: the ZPL text itself;
* ``"zpl_file"`` / ``"pdf_file"``: a file beside the order file (a relative path is taken from the order
  file's folder), read at import;
* ``"pdf_base64"``: the PDF itself, base64 (what the central orders API sends).

CSV: an optional ``label_file`` column, a ``.zpl`` or ``.pdf`` file as above (the same on every row of the
order). The label is copied into the station database at import, so the WMS may delete its files after.
A label that is not what it says (a PDF without ``%PDF-``, ZPL without ``^XA``...``^XZ``), too big, or a file
that cannot be read rejects the file, as any other problem does.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from rules.labels import MAX_LABEL_BYTES, LabelFormat, label_problem, zpl_bytes
from station.order_files.reading import _Locator, _Problems
from station.order_files.specs import LabelSpec

LABEL_KEYS = ("zpl", "zpl_file", "pdf_file", "pdf_base64")
_SUFFIXES = {".zpl": LabelFormat.ZPL, ".txt": LabelFormat.ZPL, ".prn": LabelFormat.ZPL, ".pdf": LabelFormat.PDF}


def json_label(value: object, loc: _Locator, problems: _Problems, base_dir: Path | None) -> LabelSpec | None:
    if value is None:
        return None
    if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in LABEL_KEYS:
        problems.add(loc, "label", f"must be an object with one of {', '.join(LABEL_KEYS)}")
        return None
    key, item = next(iter(value.items()))
    if not isinstance(item, str) or not item.strip():
        problems.add(loc, f"label.{key}", "must be non-empty text")
        return None
    if key == "zpl":
        try:
            return _checked(LabelFormat.ZPL, zpl_bytes(item), loc, "label.zpl", problems)
        except ValueError as exc:
            problems.add(loc, "label.zpl", str(exc))
            return None
    if key == "pdf_base64":
        if len(item) > MAX_LABEL_BYTES * 4 // 3 + 8:
            problems.add(loc, "label.pdf_base64", f"the label is larger than the {MAX_LABEL_BYTES} bytes allowed")
            return None
        try:
            data = base64.b64decode(item, validate=True)
        except (binascii.Error, ValueError):
            problems.add(loc, "label.pdf_base64", "not base64 text")
            return None
        return _checked(LabelFormat.PDF, data, loc, "label.pdf_base64", problems)
    fmt = LabelFormat.ZPL if key == "zpl_file" else LabelFormat.PDF
    return _from_file(item, fmt, loc, f"label.{key}", problems, base_dir)


def csv_label(value: str, loc: _Locator, problems: _Problems, base_dir: Path | None) -> LabelSpec | None:
    fmt = _SUFFIXES.get(Path(value).suffix.lower())
    if fmt is None:
        problems.add(loc, "label_file", f"{value!r}: a label file ends in .zpl or .pdf")
        return None
    return _from_file(value, fmt, loc, "label_file", problems, base_dir)


def _from_file(
    name: str, fmt: LabelFormat, loc: _Locator, where: str, problems: _Problems, base_dir: Path | None
) -> LabelSpec | None:
    path = Path(name)
    if not path.is_absolute():
        if base_dir is None:
            problems.add(loc, where, f"{name!r}: a label file is only read beside an order file")
            return None
        path = base_dir / path
    try:
        size = path.stat().st_size
        if size > MAX_LABEL_BYTES:
            problems.add(loc, where, f"{name!r} is {size} bytes, larger than the {MAX_LABEL_BYTES} allowed")
            return None
        data = path.read_bytes()
    except IsADirectoryError:
        problems.add(loc, where, f"{name!r} is a directory, not a label file")
        return None
    except OSError as exc:
        problems.add(loc, where, f"cannot read label file {name!r}: {exc.strerror or exc}")
        return None
    return _checked(fmt, data, loc, where, problems, name)


def _checked(
    fmt: LabelFormat, data: bytes, loc: _Locator, where: str, problems: _Problems, name: str | None = None
) -> LabelSpec | None:
    problem = label_problem(fmt, data)
    if problem is not None:
        problems.add(loc, where, f"{name!r}: {problem}" if name else problem)
        return None
    return LabelSpec(fmt, data)
