"""The layering of ARCHITECTURE.md, checked rather than remembered."""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports(config: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    lint = Path(sys.executable).with_name("lint-imports")
    exe = str(lint) if lint.exists() else shutil.which("lint-imports")
    assert exe, "import-linter is not installed"
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([exe, str(config), "--no-cache"], cwd=cwd, capture_output=True, text=True, env=env)


def test_import_contracts_hold() -> None:
    result = _lint_imports(ROOT / "pyproject.toml", ROOT)
    assert result.returncode == 0, (
        "an import breaks the layering ([tool.importlinter] in pyproject.toml, the picture in ARCHITECTURE.md); "
        "each broken contract below lists the chain of imports that breaks it:\n" + result.stdout + result.stderr
    )


def _tree(tmp_path: Path, modules: dict[str, str]) -> Path:
    """A copy of our five packages' shape holding only `modules` (dotted name -> source)."""
    for package in ("station", "hardware", "ui", "sync", "sync.server", "rules"):
        folder = tmp_path.joinpath(*package.split("."))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text("")
    # ui importing from station and sync, as the real one does (the sqlalchemy contract leaves those imports out).
    modules = {"station.base": "", "sync.base": "", "ui.root": "import station.base\nimport sync.base\n", **modules}
    for name, source in modules.items():
        tmp_path.joinpath(*name.split(".")).with_suffix(".py").write_text(source)
    config = tmp_path / "pyproject.toml"
    config.write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return config


def test_the_domain_cannot_get_qt_through_another_package(tmp_path: Path) -> None:
    """Indirect imports count: rules may import nothing of ours, but Qt pulled in by rules would reach station."""
    config = _tree(tmp_path, {"rules.leak": "import PySide6\n", "station.verdicts": "import rules.leak\n"})
    result = _lint_imports(config, tmp_path)
    assert result.returncode != 0
    assert "station is not allowed to import PySide6" in result.stdout
    assert "station.verdicts -> rules.leak" in result.stdout


def test_sync_and_hardware_do_not_import_each_other(tmp_path: Path) -> None:
    config = _tree(tmp_path, {"hardware.scale": "X = 1\n", "sync.poster": "import hardware.scale\n"})
    result = _lint_imports(config, tmp_path)
    assert result.returncode != 0
    assert "Layers: ui above sync and hardware" in result.stdout and "sync.poster -> hardware.scale" in result.stdout


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
