"""`python -m bot`: the Telegram bot. Polling by default; `--webhook-url` for webhook mode behind a proxy.

Environment: TELEGRAM_BOT_TOKEN (required), RASA_URL (http://127.0.0.1:5005), ADMIN_IDS (comma separated
Telegram user ids), BERKANE_VAR (state: the bot keeps its persistence in BERKANE_VAR/bot/).
"""

from __future__ import annotations

import argparse
import logging
import sys
from urllib.parse import urlparse

from telegram import Update

import settings
from bot.app import BotConfig, build_application
from bot.logs import configure

log = logging.getLogger("bot")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    config = settings.get()
    parser.add_argument("--rasa-url", default=config.rasa_base_url)
    parser.add_argument("--base-url", help="Bot API URL prefix, e.g. http://127.0.0.1:8081/bot (local server, tests)")
    parser.add_argument("--base-file-url", help="Bot API file URL prefix (default: base URL with /file/bot)")
    parser.add_argument("--webhook-url", help="public HTTPS URL Telegram posts updates to (webhook mode)")
    parser.add_argument("--secret-token", default=config.telegram_secret_token, help="checked on every webhook request")
    parser.add_argument("--listen", default="127.0.0.1", help="webhook mode: address to listen on")
    parser.add_argument("--port", type=int, default=8443, help="webhook mode: port to listen on")
    parser.add_argument("--rasa-timeout", type=float, default=config.rasa_timeout)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    configure()
    settings.check()
    args = parse_args(argv)
    config = settings.get()
    token = config.telegram_token
    if not token:
        print("TELEGRAM_BOT_TOKEN is not set", file=sys.stderr)
        return 2
    bot_config = BotConfig(
        token=token,
        rasa_url=args.rasa_url,
        state_dir=config.var / "bot",
        admin_ids=config.admin_id_set,
        base_url=args.base_url,
        base_file_url=args.base_file_url,
        rasa_timeout=args.rasa_timeout,
        flood_limit=config.flood_limit,
        flood_window=config.flood_window,
    )
    app = build_application(bot_config)
    log.info(
        "bot starting",
        extra={
            "event": "start",
            "mode": "webhook" if args.webhook_url else "polling",
            "admins": len(bot_config.admin_ids),
        },
    )
    if args.webhook_url:
        app.run_webhook(
            listen=args.listen,
            port=args.port,
            webhook_url=args.webhook_url,
            url_path=urlparse(args.webhook_url).path.lstrip("/"),
            secret_token=args.secret_token,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
