"""The layering of ARCHITECTURE.md, checked rather than remembered."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    exe = str(lint) if lint.exists() else shutil.which("lint-imports")
    assert exe, "import-linter is not installed"
    result = subprocess.run([exe, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_devices_and_sync_use_no_qt_widgets() -> None:
    """Devices and sync talk to the screen only through QtCore signals: no widget code below ui/."""
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for package in ("hardware", "sync", "station")
        for path in (ROOT / package).rglob("*.py")
        for name in _imports(path)
        if name.startswith(("PySide6.QtWidgets", "PySide6.QtCharts", "PySide6.QtMultimedia"))
    ]
    assert offenders == []
