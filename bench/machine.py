"""What the figures were measured on: date, CPUs, CPU model, load, Python and libraries."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

__all__ = ["cpu_model", "load", "machine_lines"]


def cpu_model() -> str:
    """The CPU's model name (Linux), else what ``platform`` knows."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def load() -> str:
    """The 1, 5 and 15-minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _wrk_version() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        return "not installed"
    out = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False).stdout
    return out.split(" [")[0].strip() or "unknown"


def machine_lines() -> list[str]:
    """One markdown bullet per fact, at the time of the call."""
    libraries = ", ".join(
        f"{name} {version(name)}" for name in ("starlette", "uvicorn", "h11", "httpx", "respx")
    )
    return [
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {os.cpu_count()} CPUs (nproc), {cpu_model()}, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}); {libraries}; wrk: {_wrk_version()}",
        f"- load average at the start (1, 5, 15 min): {load()}",
    ]
