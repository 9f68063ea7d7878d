"""`python -m web serve` (what `make admin` runs) and `python -m web create-admin NAME`.

The password is read from the terminal (twice, not echoed) or from standard input when it is not a terminal,
never from the command line, where other users of the machine could read it in the process list.
"""

from __future__ import annotations

import argparse
import getpass
import sys

import settings
from web.accounts import ROLES, AccountError, Accounts


def _password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mot de passe : ")
    if getpass.getpass("Encore une fois : ") != first:
        raise AccountError("les deux mots de passe diffèrent")
    return first


def create(name: str, role: str) -> int:
    try:
        Accounts().create(name, role, _password(), actor="command line")
    except AccountError as error:
        print(f"refusé : {error}", file=sys.stderr)
        return 1
    print(f"compte {name} ({role}) créé dans {settings.var_dir()}")
    return 0


def serve() -> int:
    import uvicorn

    from web.app import create_app

    config = settings.get()
    print(f"back office: http://{config.admin_host}:{config.admin_port}/", flush=True)
    uvicorn.run(create_app(), host=config.admin_host, port=config.admin_port, log_level="warning")
    return 0


def main(argv: list[str] | None = None) -> int:
    settings.check()
    parser = argparse.ArgumentParser(prog="python -m web", description="Berkane Assistant back office")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve the back office on BERKANE_ADMIN_HOST:BERKANE_ADMIN_PORT")
    for command, role in (("create-admin", "admin"), ("create-user", None)):
        sub = commands.add_parser(command, help=f"create a{'n admin' if role else ' user'} account (password on stdin)")
        sub.add_argument("name")
        if role is None:
            sub.add_argument("--role", choices=ROLES, required=True)
    args = parser.parse_args(argv)
    if args.command == "serve":
        return serve()
    return create(args.name, "admin" if args.command == "create-admin" else args.role)


if __name__ == "__main__":
    sys.exit(main())
