"""The back office in real headless Chromium (Selenium), against the real assistant (the `stack` fixture).

An admin logs in, uploads a document with a new fact and publishes it; the assistant then answers that fact
through the REST channel, with its source. A refused question reaches the queue and the trainer's intent
lands in the NLU data; the analytics page draws its charts (screenshot kept as a test artifact); one click
on the versions page brings the index back as it was, for the tests that follow.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from settings import APP_VENV, ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PASSWORD = "browser test password"
FACT = "le samedi de 9 h à 12 h"
SOURCE = "https://www.berkane.ma/guichet-numerique"
DOCUMENT = f"""---
id: guichet-numerique-fr
lang: fr
title: Guichet numérique de la commune de Berkane
topic: general
source: [{SOURCE}]
checked: 2026-12-01
provisional: false
---
Le guichet numérique de la commune de Berkane reçoit les citoyens {FACT}, au centre culturel Ibn Khaldoun,
pour les aider à faire leurs démarches en ligne.
"""
QUESTION = "Quand ouvre le guichet numérique de la commune de Berkane ?"
REFUSED = "combien coûte la licence de pêche en mer à Saïdia ?"


@pytest.fixture
def back_office(stack, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`make admin`'s server (python -m web serve) on the stack's var dir; (its URL, its NLU data copy)."""
    from stack.servers import free_port
    from web.accounts import Accounts

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "nlu", data / "nlu")
    port = free_port()
    env = {
        **os.environ,
        "BERKANE_VAR": str(stack.var_dir),
        "BERKANE_TRAINING_DATA": str(data),
        "BERKANE_ADMIN_PORT": str(port),
    }
    Accounts(stack.var_dir / "admin.sqlite").create(f"boss{port}", "admin", PASSWORD, actor="test")
    python = str(APP_VENV / "bin" / "python")
    log = (tmp_path / "web.log").open("w")
    server = subprocess.Popen([python, "-m", "web", "serve"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/login", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the back office did not start: {(tmp_path / 'web.log').read_text()[-2000:]}")
                time.sleep(0.3)
        yield url, data
    finally:
        server.terminate()
        server.wait(10)
        log.close()


@pytest.fixture
def chromium():
    """Debian's headless Chromium through its chromedriver (an explicit path: no Selenium Manager download)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.exists():
            pytest.fail(
                f"{path} is missing: run `bash scripts/engines.sh chromium` (Debian's chromium, chromium-driver)"
            )
    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1800"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()


def text_of(replies: list[dict]) -> str:
    return "\n".join(reply.get("text") or "" for reply in replies)


def test_admin_publishes_a_fact_the_assistant_then_answers(stack, back_office, chromium, tmp_path: Path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    url, data = back_office
    driver = chromium
    wait = WebDriverWait(driver, 60)
    driver.get(f"{url}/kb")
    assert "/login" in driver.current_url  # logged out: the login page
    port = url.rsplit(":", 1)[1]
    driver.find_element(By.NAME, "name").send_keys(f"boss{port}")
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
    wait.until(lambda d: d.current_url.endswith("/kb"))
    before = driver.find_element(By.ID, "serving").text

    upload = tmp_path / "guichet-numerique-fr.md"
    upload.write_text(DOCUMENT, encoding="utf-8")
    driver.find_element(By.CSS_SELECTOR, "#upload-form input[type=file]").send_keys(str(upload))
    driver.find_element(By.CSS_SELECTOR, "#upload-form button").click()
    wait.until(lambda d: "/kb/docs/guichet-numerique-fr" in d.current_url)
    assert FACT in driver.find_element(By.ID, "chunks").text  # the passages it will be cut into
    driver.get(f"{url}/kb")
    driver.find_element(By.ID, "publish").click()
    wait.until(lambda d: d.current_url.endswith("/kb/versions"))
    assert "publiée" in driver.find_element(By.ID, "flash").text

    said = text_of(stack.say(QUESTION))
    assert FACT in said and SOURCE in said, said

    who = f"web-{uuid.uuid4().hex[:8]}"
    stack.say(REFUSED, sender=who)
    with sqlite3.connect(stack.var_dir / "feedback.sqlite") as db:
        row = db.execute("SELECT id FROM unanswered WHERE conversation = ?", (who,)).fetchone()
    assert row, "the refused question did not reach the unanswered queue"
    driver.get(f"{url}/queue")
    item = driver.find_element(By.ID, f"unanswered-{row[0]}")
    assert "pêche" in item.find_element(By.CLASS_NAME, "question").text
    form = item.find_element(By.CLASS_NAME, "intent-form")
    Select(form.find_element(By.NAME, "intent")).select_by_visible_text("service_cost")
    assert Select(form.find_element(By.NAME, "variety")).first_selected_option.text == "fr"
    form.find_element(By.TAG_NAME, "button").click()
    wait.until(lambda d: "exemple ajouté" in d.find_element(By.ID, "flash").text)
    blocks = yaml.safe_load((data / "nlu" / "fr" / "services.yml").read_text(encoding="utf-8"))["nlu"]
    examples = next(block["examples"] for block in blocks if block.get("intent") == "service_cost")
    assert f"- {REFUSED}" in examples.splitlines()

    driver.get(f"{url}/analytics")
    wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-charts") == "drawn")
    painted = driver.execute_script(
        """const canvas = document.getElementById('chart-per-day');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let inked = 0; for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
        return [!!Chart.getChart(canvas), canvas.width, inked];"""
    )
    assert painted[0] and painted[1] > 100 and painted[2] > 500, painted
    assert int(driver.find_element(By.ID, "messages").text) >= 2
    shot = tmp_path / "analytics.png"
    driver.save_screenshot(str(shot))
    print(f"analytics screenshot: {shot}")
    assert shot.stat().st_size > 10_000

    driver.get(f"{url}/kb/versions")
    driver.find_element(By.CSS_SELECTOR, f"button.rollback[data-version='{before}']").click()
    wait.until(lambda d: f"Version {before} en service" in d.find_element(By.ID, "flash").text)
    assert (stack.var_dir / "kb" / "CURRENT").read_text().strip() == before
    assert FACT not in text_of(stack.say(QUESTION))
