"""Sections 4d and 4e: resident memory of each process, and cold start to the first answer.

Memory is read from /proc (VmRSS) over each server's whole process group, after the other sections have
used the servers (a warm, loaded process). The bot is started as the terminal chat against our Rasa server
(the Telegram bot needs a token; both share the same client code).
"""

from __future__ import annotations

import subprocess
import time

from bench.context import Chart, Options, Result, Skip, Table
from bench.measure import group_rss_mib
from bench.servers import Fleet
from settings import APP_VENV, ROOT

BOT_SETTLE_S = 8


def _bot_rss_mib(rasa_url: str) -> float:
    """RSS of the terminal chat client once it has started and is waiting for the user."""
    if not (ROOT / "bot" / "terminal.py").exists():
        raise Skip("bot/terminal.py is not written yet")
    process = subprocess.Popen(
        [str(APP_VENV / "bin" / "python"), "-m", "bot.terminal", "--url", rasa_url, "--shaping", "off"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        time.sleep(BOT_SETTLE_S)
        if process.poll() is not None:
            raise Skip(f"the terminal chat exited with code {process.returncode}")
        return group_rss_mib(process.pid)
    finally:
        process.stdin.close()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_memory(options: Options, fleet: Fleet) -> Result:
    result = Result("memory", "4d. Resident memory (RSS, MiB)")
    ours = fleet.get("ours")
    rows = []
    for name, running in fleet.running.items():
        rss = running.rss_mib()
        rows += [[f"Rasa server ({name})", round(rss["rasa"])], [f"action server ({name})", round(rss["actions"])]]
    try:
        rows.append(["bot (terminal chat)", round(_bot_rss_mib(f"http://127.0.0.1:{ours.rasa_port}"))])
    except Skip as why:
        result.notes.append(f"bot: not measured ({why})")
    result.data = {row[0]: row[1] for row in rows}
    result.tables.append(Table("Resident memory after the run", ["process", "RSS MiB"], rows))
    result.charts.append(Chart("Resident memory (MiB)", "MiB", [r[0] for r in rows], {"RSS": [r[1] for r in rows]}))
    return result


def run_cold_start(options: Options, fleet: Fleet) -> Result:
    result = Result("coldstart", "4e. Cold start to first answer")
    fleet.get("ours")
    rows = [[name, round(running.cold_start_s, 1)] for name, running in fleet.running.items()]
    result.data = {row[0]: row[1] for row in rows}
    result.notes.append(
        "from spawning the action and Rasa servers to the first REST reply to a knowledge "
        "question (model load, index load, first embedding)"
    )
    result.tables.append(Table("Cold start", ["system", "seconds"], rows))
    return result
