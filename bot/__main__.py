"""`python -m bot`: the Telegram bot. Polling by default; `--webhook-url` for webhook mode behind a proxy.

Environment: TELEGRAM_BOT_TOKEN (required), RASA_URL (http://127.0.0.1:5005), ADMIN_IDS (comma separated
Telegram user ids), BERKANE_VAR (state: the bot keeps its persistence in BERKANE_VAR/bot/).
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from urllib.parse import urlparse

from telegram import Update

from bot.app import Settings, build_application
from bot.logs import configure
from bot.rasa_client import DEFAULT_URL
from stack.paths import var_dir

log = logging.getLogger("bot")


def admin_ids(value: str) -> frozenset[int]:
    """"12, 34" -> {12, 34}; anything that is not a number is ignored with a warning."""
    ids = set()
    for part in value.split(","):
        if part.strip().lstrip("-").isdigit():
            ids.add(int(part))
        elif part.strip():
            log.warning("ignored ADMIN_IDS entry", extra={"event": "bad_admin_id"})
    return frozenset(ids)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_URL", DEFAULT_URL))
    parser.add_argument("--base-url", help="Bot API URL prefix, e.g. http://127.0.0.1:8081/bot (local server, tests)")
    parser.add_argument("--base-file-url", help="Bot API file URL prefix (default: base URL with /file/bot)")
    parser.add_argument("--webhook-url", help="public HTTPS URL Telegram posts updates to (webhook mode)")
    parser.add_argument("--secret-token", default=os.environ.get("TELEGRAM_SECRET_TOKEN"),
                        help="checked on every webhook request")
    parser.add_argument("--listen", default="127.0.0.1", help="webhook mode: address to listen on")
    parser.add_argument("--port", type=int, default=8443, help="webhook mode: port to listen on")
    parser.add_argument("--rasa-timeout", type=float, default=float(os.environ.get("RASA_TIMEOUT", "10")))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    configure()
    args = parse_args(argv)
    token = os.environ.get("TELEGRAM_BOT_TOKEN")
    if not token:
        print("TELEGRAM_BOT_TOKEN is not set", file=sys.stderr)
        return 2
    settings = Settings(token=token, rasa_url=args.rasa_url, state_dir=var_dir() / "bot",
                        admin_ids=admin_ids(os.environ.get("ADMIN_IDS", "")), base_url=args.base_url,
                        base_file_url=args.base_file_url, rasa_timeout=args.rasa_timeout)
    app = build_application(settings)
    log.info("bot starting", extra={"event": "start", "mode": "webhook" if args.webhook_url else "polling",
                                    "admins": len(settings.admin_ids)})
    if args.webhook_url:
        app.run_webhook(listen=args.listen, port=args.port, webhook_url=args.webhook_url,
                        url_path=urlparse(args.webhook_url).path.lstrip("/"),
                        secret_token=args.secret_token, allowed_updates=Update.ALL_TYPES)
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
