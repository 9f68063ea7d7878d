"""The trainer for admins without the back office.

    python -m trainer train [--wait]     start a training + evaluation job (its id; --wait: follow it)
    python -m trainer status JOB         a job's state, progress, comparison and recent log
    python -m trainer jobs               recent jobs
    python -m trainer activate JOB       serve the job's model now (refused when the gate refuses)
    python -m trainer rollback           serve the previous model again
    python -m trainer models             the models, the serving one marked

The actor written in the structured log is `cli:<login>`.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from typing import Any

import settings
import trainer
from observability import jsonlog


def show_status(record: dict[str, Any]) -> None:
    print(f"{record['id']}: {record['state']} {record['progress']} %")
    comparison = record.get("comparison")
    if comparison:
        print("variety    old F1  new F1")
        for variety, row in comparison["varieties"].items():
            print(f"{variety:<10} {row['old_f1']:.3f}   {row['new_f1']:.3f}")
        print(f"e2e        {comparison['e2e']['old']:.3f}   {comparison['e2e']['new']:.3f}")
        print("activation allowed" if comparison["allowed"] else "refused: " + "; ".join(comparison["reasons"]))
    for line in record["log"][-10:]:
        print(f"  | {line}")


def follow(job_id: str) -> dict[str, Any]:
    """Print the job's progress until it ends."""
    shown = -1
    while True:
        record = trainer.status(job_id)
        if record["progress"] != shown:
            shown = record["progress"]
            print(f"{record['state']} {shown} % {record['log'][-1] if record['log'] else ''}", flush=True)
        if record["state"] not in ("training", "evaluating"):
            return record
        time.sleep(2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainer", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="start a training + evaluation job")
    train.add_argument("--wait", action="store_true", help="follow the job until it ends")
    commands.add_parser("status", help="a job's state and comparison").add_argument("job")
    commands.add_parser("jobs", help="recent jobs")
    commands.add_parser("activate", help="serve a job's model").add_argument("job")
    commands.add_parser("rollback", help="serve the previous model again")
    commands.add_parser("models", help="the models, the serving one marked")
    args = parser.parse_args(argv)
    settings.check()
    jsonlog.configure()
    actor = f"cli:{getpass.getuser()}"
    try:
        if args.command == "train":
            job_id = trainer.start(actor)
            print(job_id)
            if args.wait:
                show_status(follow(job_id))
        elif args.command == "status":
            show_status(trainer.status(args.job))
        elif args.command == "jobs":
            for job in trainer.jobs():
                print(f"{job['id']}  {job['state']:<10} {job['progress']:>3} %  {job['started']}  {job['actor']}")
        elif args.command == "activate":
            trainer.activate(args.job, actor)
            print(f"{args.job}: model activated")
        elif args.command == "rollback":
            print(f"serving {trainer.rollback(actor)} again")
        else:
            for model in trainer.models():
                print(f"{'*' if model['active'] else ' '} {model['name']}  {model['created']}")
    except (trainer.Busy, trainer.Refused, trainer.ActivationFailed) as error:
        print(f"{args.command}: {error}", file=sys.stderr)
        return 1
    except trainer.UnknownJob as error:
        print(f"{args.command}: no job {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
