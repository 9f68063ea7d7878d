"""`python -m knowledge ...` (or `make kb ARGS='...'`): the knowledge admin command line.

Errors print one line on stderr and exit with status 1; the index is then unchanged.
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import settings
from knowledge import admin, store
from knowledge.convert import Options
from knowledge.errors import KnowledgeError
from knowledge.feedback import FeedbackStore
from knowledge.search import KnowledgeBase
from privacy.erase import TRACKER_FILE, TRACKER_TABLE, cutoff, purge_before
from settings import var_dir


def _print(data: Any, as_json: bool = True) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1, default=str) if as_json else data)


def _options(args: argparse.Namespace) -> Options:
    return Options(lang=args.lang, title=args.title, topic=args.topic, source=args.source, doc_id=args.id)


def cmd_add(args: argparse.Namespace) -> None:
    for added in admin.add_files([Path(p) for p in args.files], _options(args), replace=args.replace):
        print(f"added {added.doc_id} [{added.lang}] {added.title!r} topic={added.topic} chunks={added.chunks}")


def cmd_import(args: argparse.Namespace) -> None:
    added = admin.import_dir(args.directory, _options(args), replace=args.replace)
    print(f"imported {len(added)} documents: {', '.join(a.doc_id for a in added)}")


def cmd_remove(args: argparse.Namespace) -> None:
    print(f"removed {args.doc_id}; serving {admin.remove(args.doc_id)}")


def cmd_list(args: argparse.Namespace) -> None:
    for doc in admin.list_documents():
        if args.topic is None or doc.topic == args.topic:
            print(f"{doc.id}\t{doc.lang}\t{doc.topic}\t{doc.title}")


def cmd_show(args: argparse.Namespace) -> None:
    doc = admin.show(args.doc_id)
    print(doc.to_markdown())


def cmd_search(args: argparse.Namespace) -> None:
    if store.current_version(store.kb_root()) is None:
        raise KnowledgeError(f"no index version under {store.kb_root()}: build one with `make index`")
    hits = KnowledgeBase.open().search(args.query, lang=args.lang, k=args.k, topic=args.topic, mode=args.mode)
    if args.json:
        _print([asdict(hit) for hit in hits])
        return
    if not hits:
        print("no answer good enough")
    for hit in hits:
        print(f"{hit.score:.3f}  {hit.doc_id} [{hit.lang}] §{hit.section}  {hit.text[:160]!r}")


def cmd_rebuild(args: argparse.Namespace) -> None:
    name = admin.rebuild(if_changed=args.if_changed)
    serving = store.current_version(store.kb_root())
    print(f"index: up to date, serving {serving}" if name is None else f"index: built and serving {name}")


def cmd_stats(args: argparse.Namespace) -> None:
    _print(admin.stats())


def cmd_versions(args: argparse.Namespace) -> None:
    for info in admin.versions():
        mark = "*" if info["current"] else " "
        print(
            f"{mark} {info['version']}  {info.get('created', '')}  docs={info.get('documents')} "
            f"chunks={info.get('chunks')}  {info.get('embedder', '')}"
        )


def cmd_rollback(args: argparse.Namespace) -> None:
    print(f"serving {admin.rollback(args.version)}")


def cmd_export(args: argparse.Namespace) -> None:
    print(f"exported {admin.export(args.directory)} documents to {args.directory}")


def cmd_feedback(args: argparse.Namespace) -> None:
    store = FeedbackStore()
    _print({"by_document": store.vote_summary(), "latest": store.votes(args.limit)})


def cmd_unanswered(args: argparse.Namespace) -> None:
    _print(FeedbackStore().unanswered(args.limit))


def cmd_handoffs(args: argparse.Namespace) -> None:
    if args.close is None:
        _print(FeedbackStore().handoffs(args.limit))
    elif FeedbackStore().close_handoff(args.close):
        print(f"handoff {args.close} closed; its call-back number is deleted")
    else:
        raise KnowledgeError(f"no open handoff request {args.close}")


def cmd_purge(args: argparse.Namespace) -> None:
    """Delete conversations (the SQLite tracker file), feedback and handoffs older than --older-than days."""
    before = cutoff(args.older_than, time.time())
    deleted = {
        "tracker_events": purge_before(var_dir() / TRACKER_FILE, before, TRACKER_TABLE)["events"],
        **FeedbackStore().purge(before),
    }
    _print({"older_than_days": args.older_than, "deleted": deleted})


def _front_matter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=["ar", "fr", "en"], help="document language (default: detected)")
    parser.add_argument("--title")
    parser.add_argument("--topic", help="e.g. service:passport, forum_dates (default: general)")
    parser.add_argument("--source", help="where the text comes from (default: the file name)")
    parser.add_argument("--id", help="document id (default: from the file name)")
    parser.add_argument("--replace", action="store_true", help="update a document that already exists")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    sub = main.add_subparsers(dest="command", required=True)
    commands: dict[str, tuple[Callable[[argparse.Namespace], None], str]] = {
        "add": (cmd_add, "add documents (md, txt, pdf, docx, html)"),
        "import": (cmd_import, "add every document file of a directory"),
        "remove": (cmd_remove, "take a document out"),
        "list": (cmd_list, "list served documents"),
        "show": (cmd_show, "print a document"),
        "search": (cmd_search, "search like the assistant does"),
        "rebuild": (cmd_rebuild, "rebuild the index from the documents"),
        "stats": (cmd_stats, "counts of the serving version"),
        "versions": (cmd_versions, "kept versions"),
        "rollback": (cmd_rollback, "serve an older version"),
        "export": (cmd_export, "write documents as Markdown"),
        "feedback": (cmd_feedback, "votes on answers"),
        "unanswered": (cmd_unanswered, "questions not answered"),
        "handoffs": (cmd_handoffs, "requests for a human"),
        "purge": (cmd_purge, "delete conversations, feedback and handoffs older than the retention period"),
    }
    subs = {name: sub.add_parser(name, help=text) for name, (_, text) in commands.items()}
    for name, (handler, _) in commands.items():
        subs[name].set_defaults(handler=handler)
    subs["add"].add_argument("files", nargs="+")
    _front_matter_options(subs["add"])
    subs["import"].add_argument("directory")
    _front_matter_options(subs["import"])
    subs["remove"].add_argument("doc_id")
    subs["show"].add_argument("doc_id")
    subs["list"].add_argument("--topic")
    subs["search"].add_argument("query")
    subs["search"].add_argument("--lang", choices=["ar", "ary", "ary_Latn", "fr", "en"])
    subs["search"].add_argument("--k", type=int, default=5)
    subs["search"].add_argument("--topic")
    subs["search"].add_argument("--mode", choices=["hybrid", "dense", "lexical"])
    subs["search"].add_argument("--json", action="store_true")
    subs["rebuild"].add_argument("--if-changed", action="store_true")
    subs["rollback"].add_argument("version", nargs="?")
    subs["export"].add_argument("directory")
    for name in ("feedback", "unanswered", "handoffs"):
        subs[name].add_argument("--limit", type=int, default=50)
    subs["handoffs"].add_argument(
        "--close", type=int, metavar="ID", help="close a request, deleting its call-back number"
    )
    subs["purge"].add_argument(
        "--older-than",
        type=int,
        metavar="DAYS",
        default=settings.get().retention_days,
        help="default: BERKANE_RETENTION_DAYS",
    )
    return main


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets its logger to DEBUG when imported
    args = parser().parse_args(argv)
    try:
        args.handler(args)
    except KnowledgeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head`: not an error
        sys.stderr.close()
    except (OSError, sqlite3.Error) as error:  # the var folder read-only or full: say so, in one line
        where = f"{error.filename}: " if getattr(error, "filename", None) else ""
        print(f"error: {where}{getattr(error, 'strerror', None) or error}", file=sys.stderr)
        return 1
    return 0
