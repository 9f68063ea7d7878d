"""`python -m bench [--quick] [--only SECTION,...] [--set FILE ...] [--out DIR]`: measure and write the report.

Sections: accuracy, conversations, nlu, retrieval, latency, load, serving, scaling, embedding, faiss, memory, coldstart
(`speed` = latency, embedding, faiss, memory, coldstart).
A section whose part is not there yet is reported as skipped with the reason; the run still succeeds.
The report keeps the other sections of the last run in --out, each with the date and load it was measured at.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from bench import machine, report
from bench.context import WORK, Options, Result, Skip
from bench.sections import (
    accuracy,
    conversations,
    embedding,
    faiss_speed,
    latency,
    load,
    nlu,
    resources,
    retrieval,
    scaling,
    serving,
)
from bench.servers import Fleet
from settings import MODELS, ROOT

SECTIONS: dict[str, Callable[[Options, Fleet], Result]] = {
    "accuracy": accuracy.run,
    "conversations": conversations.run,
    "nlu": nlu.run,
    "retrieval": retrieval.run,
    "latency": latency.run,
    "load": load.run,
    "serving": serving.run,
    "scaling": scaling.run,
    "embedding": embedding.run,
    "faiss": faiss_speed.run,
    "memory": resources.run_memory,
    "coldstart": resources.run_cold_start,
}
GROUPS = {"speed": ["latency", "embedding", "faiss", "memory", "coldstart"]}
log = logging.getLogger("bench")


def chosen(only: str | None) -> list[str]:
    """The sections to run, in the canonical order; unknown names are an error."""
    if not only:
        return list(SECTIONS)
    wanted = {name for word in only.split(",") if word.strip() for name in GROUPS.get(word.strip(), [word.strip()])}
    unknown = wanted - set(SECTIONS)
    if unknown:
        raise SystemExit(
            f"unknown section(s): {', '.join(sorted(unknown))}; choose from {', '.join([*SECTIONS, *GROUPS])}"
        )
    return [name for name in SECTIONS if name in wanted]


def run_section(name: str, options: Options, fleet: Fleet) -> Result:
    """Run one section; a Skip (part missing) or a crash becomes a skipped result, never a failed run."""
    started = time.monotonic()
    try:
        result = SECTIONS[name](options, fleet)
    except Skip as why:
        result = Result(name, name, skipped=str(why))
    except Exception as error:
        log.exception("section %s failed", name)
        result = Result(name, name, skipped=f"error: {type(error).__name__}: {error}")
    result.seconds = time.monotonic() - started
    result.measured = f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.1f}"
    log.info("%s: %s in %.0f s", name, f"skipped ({result.skipped})" if result.skipped else "done", result.seconds)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small bounded loops (seconds to a few minutes)")
    parser.add_argument("--only", help="comma-separated sections: " + ", ".join([*SECTIONS, *GROUPS]))
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        type=Path,
        default=[],
        help="an extra answer set in the dev.yml format (repeatable)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench", help="where results.* are written")
    parser.add_argument("--work", type=Path, default=WORK, help="baseline model and servers' state")
    parser.add_argument("--model", type=Path, default=MODELS, help="our trained model (file or folder)")
    parser.add_argument(
        "--soak",
        type=int,
        default=0,
        metavar="SECONDS",
        help="length of the load section's soak (default 600, 60 with --quick)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    names = chosen(args.only)
    options = Options(
        quick=args.quick, extra_sets=args.sets, out=args.out, work=args.work, model=args.model, soak_s=args.soak
    )
    description = machine.describe()
    fleet = Fleet(options.work, options.model)
    try:
        results = [run_section(name, options, fleet) for name in names]
    finally:
        fleet.stop_all()
    command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
    results = report.merged(options.out, results, list(SECTIONS))
    for path in report.write(options.out, description, results, command.strip()):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
