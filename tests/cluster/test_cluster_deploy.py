"""deploy/ matches the code: the compose file's services, ports and variables are the ones the servers read
(settings), its endpoints use the cluster's stores, its nginx routes to the services it names, and every
image is pinned. No Docker needed: the files are parsed."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import AliasChoices

from settings import ROOT, Settings
from stack.cluster import WEBHOOK_PATH
from stack.servers import LOCK_STORE

DEPLOY = ROOT / "deploy"
OWN_VARIABLES = {
    info.validation_alias.choices[0]
    for info in Settings.model_fields.values()
    if isinstance(info.validation_alias, AliasChoices)
}
ENGINE_VARIABLES = {"POSTGRES_USER", "POSTGRES_DB", "POSTGRES_PASSWORD", "REDIS_PASSWORD", "RASA_TELEMETRY_ENABLED"}


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


def default(field: str) -> object:
    return Settings.model_fields[field].default


def argument(command: list[str], flag: str) -> str:
    return command[command.index(flag) + 1]


def test_the_services_are_the_clusters():
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "index", "actions", "rasa", "bot", "nginx"}
    assert services["rasa"]["deploy"]["replicas"] == default("cluster_rasa")
    assert services["actions"]["deploy"]["replicas"] == default("cluster_actions")


def test_every_variable_given_to_our_containers_is_a_setting_the_code_reads():
    services = compose()["services"]
    for name in ("index", "actions", "rasa", "bot"):
        unknown = set(services[name].get("environment", {})) - OWN_VARIABLES - ENGINE_VARIABLES
        assert not unknown, f"{name}: {unknown} are read by nothing (settings/__init__.py)"
    for name in ("postgres", "redis"):
        assert set(services[name]["environment"]) <= ENGINE_VARIABLES


def test_ports_and_addresses_agree_between_services():
    services = compose()["services"]
    actions = services["actions"]["environment"]
    endpoints = yaml.safe_load((DEPLOY / "endpoints.yml").read_text(encoding="utf-8"))
    assert endpoints["action_endpoint"]["url"] == f"http://actions:{actions['ACTIONS_PORT']}/webhook"
    assert actions["ACTIONS_PORT"] == str(default("actions_port")) and actions["ACTIONS_HOST"] == "0.0.0.0"
    rasa = services["rasa"]
    assert argument(rasa["command"], "--port") == str(default("rasa_port"))
    assert argument(rasa["command"], "--endpoints") == "deploy/endpoints.yml"
    url = rasa["environment"]["BERKANE_TRACKER_DB_URL"]
    database = services["postgres"]["environment"]
    assert url == f"postgresql://{database['POSTGRES_USER']}:${{BERKANE_POSTGRES_PASSWORD}}@postgres:5432/rasa"
    assert database["POSTGRES_DB"] == "rasa"
    bot = services["bot"]["command"]
    assert argument(bot, "--port") == str(default("cluster_bot_port"))
    assert argument(bot, "--rasa-url") == "http://nginx:80"
    assert argument(bot, "--webhook-url").endswith(WEBHOOK_PATH)
    assert services["nginx"]["ports"] == [f"{default('cluster_port')}:80"]

    nginx = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert f"server rasa:{default('rasa_port')} " in nginx
    assert f"proxy_pass http://bot:{default('cluster_bot_port')};" in nginx
    assert re.search(r"location /telegram/ \{", nginx) and WEBHOOK_PATH.startswith("/telegram/")


def test_the_endpoints_use_the_masking_tracker_store_and_the_atomic_lock_store():
    """The containers get the store `make cluster` runs (the cached masking one, checked each turn)."""
    from stack.servers import TRACKER_STORES

    endpoints = yaml.safe_load((DEPLOY / "endpoints.yml").read_text(encoding="utf-8"))
    assert endpoints["tracker_store"] == {
        "type": TRACKER_STORES[True],
        "dialect": "postgresql",
        "url": "${BERKANE_TRACKER_DB_URL}",
    }
    lock = endpoints["lock_store"]
    assert lock["type"] == LOCK_STORE and lock["url"] == "redis" and lock["password"] == "${BERKANE_REDIS_PASSWORD}"
    assert "Bearer ${BERKANE_ACTIONS_TOKEN}" in endpoints["action_endpoint"]["headers"]["Authorization"]


def test_images_are_pinned_and_match_the_pinned_requirements():
    images = [service["image"] for service in compose()["services"].values() if "image" in service]
    images += [
        re.search(r"^FROM (\S+)", (DEPLOY / name).read_text(encoding="utf-8"), re.M).group(1)
        for name in ("Dockerfile.actions", "Dockerfile.rasa")
    ]
    assert all(":" in image and not image.endswith(":latest") for image in images), images
    rasa = re.search(r"^rasa==(\S+)", (ROOT / "requirements-rasa.txt").read_text(encoding="utf-8"), re.M).group(1)
    assert f"rasa/rasa:{rasa}-full" in images
    assert {"postgres:15", "redis:7"} <= set(images)


def test_no_secret_is_written_in_the_deploy_files():
    for path in Path(DEPLOY).iterdir():
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if re.search(r"(PASSWORD|TOKEN)\s*[:=]\s*['\"]?[A-Za-z0-9_\-]{8,}", line):
                raise AssertionError(f"{path.name}: a secret in clear: {line.strip()}")
