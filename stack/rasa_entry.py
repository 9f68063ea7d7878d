"""`rasa` with its HTTP API token read from the environment (BERKANE_RASA_TOKEN), not from the command line.

`rasa run --auth-token X` shows X to every user of the host (`ps`, /proc/<pid>/cmdline); a process's
environment is readable by its owner only. Runs in the Rasa environment (no `settings`: pydantic 1 there);
the variable is the one `stack.servers.rasa_server` sets for this child. Refuses to start without it.
Before Rasa starts, the fast message path's replacements of Rasa internals are installed
(stack.rasa_patches, steps from BERKANE_FAST_PATH), and the server's `GET /status` is made to report the
stores' health (`observability.health`: "stores": {"tracker": "degraded"} while the disk refuses writes).
Once the model is loaded, the objects the process holds then (Rasa's and TensorFlow's modules, the model) are
moved out of the garbage collector's reach (`gc.freeze`): each full collection walked them all, a 300-350 ms
pause of every conversation, twice in a 300-turn conversation (gc callbacks in the Rasa server).
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from typing import Any


def freeze_after_model_load() -> None:
    """Have Rasa's start listener that loads the model freeze what the process holds once it is done."""
    import rasa.core.run

    load_agent_on_start = rasa.core.run.load_agent_on_start

    @functools.wraps(load_agent_on_start)
    async def load_agent_then_freeze(*args: Any, **kwargs: Any) -> Any:
        agent = await load_agent_on_start(*args, **kwargs)
        gc.freeze()
        return agent

    rasa.core.run.load_agent_on_start = load_agent_then_freeze


def report_stores_in_status() -> None:
    """Have every Rasa server app this process makes answer `/status` with the stores' states.

    The middleware must be on the app before the server starts (Sanic drops an empty middleware chain at
    start-up), and only `rasa.server.create_app` sees the app that early."""
    import rasa.server

    from observability import health

    create_app = rasa.server.create_app

    def create_app_reporting_stores(*args: Any, **kwargs: Any) -> Any:
        app = create_app(*args, **kwargs)
        health.add_to_status(app)
        return app

    rasa.server.create_app = create_app_reporting_stores


if __name__ == "__main__":
    token = os.environ.get("BERKANE_RASA_TOKEN")
    if not token:
        sys.exit("BERKANE_RASA_TOKEN is not set: Rasa's HTTP API would be open to anyone reaching its port")
    from rasa.__main__ import main

    from stack import rasa_patches

    rasa_patches.apply()
    report_stores_in_status()
    freeze_after_model_load()

    # `--auth-token=X`, not `--auth-token X`: a random token may begin with "-" and read as an option
    sys.argv = ["rasa", *sys.argv[1:], f"--auth-token={token}"]
    main()
