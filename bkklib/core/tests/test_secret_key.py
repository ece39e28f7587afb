"""Production settings (DEBUG off) refuse to start without SECRET_KEY; the embedded mode invents one."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _load_settings(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "BKKLIB_TESTING", "DATABASE_URL")}
    clean.update({"BKKLIB_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "bkklib.settings", **env})
    return subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                           "print(len(settings.SECRET_KEY))"], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_debug_off_without_secret_key_does_not_start(tmp_path):
    result = _load_settings(tmp_path, DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_debug_off_with_a_secret_key_starts(tmp_path):
    result = _load_settings(tmp_path, DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "50"


def test_the_embedded_mode_keeps_its_generated_key(tmp_path):
    first = _load_settings(tmp_path, DEBUG="1")
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    assert _load_settings(tmp_path, DEBUG="1").returncode == 0
    assert (tmp_path / "secret_key").read_text() == key and len(key) >= 50
