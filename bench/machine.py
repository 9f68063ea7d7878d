"""A description of the machine and software the figures were measured on (they mean nothing without it)."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from pathlib import Path

from settings import RASA_VENV


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError):
        pass
    return None


def _rasa_python() -> str:
    python = RASA_VENV / "bin" / "python"
    if not python.exists():
        return "missing"
    result = subprocess.run(
        [str(python), "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout.strip() or "unknown"


def describe() -> dict[str, object]:
    """CPU, cores, RAM, load, OS, both Python versions and the UTC date of the run."""
    return {
        "date_utc": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": _ram_gib(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "os": f"{platform.system()} {platform.release()}",
        "python_app": platform.python_version(),
        "python_rasa": _rasa_python(),
    }
