"""`rasa` with its HTTP API token read from the environment (BERKANE_RASA_TOKEN), not from the command line.

`rasa run --auth-token X` shows X to every user of the host (`ps`, /proc/<pid>/cmdline); a process's
environment is readable by its owner only. Runs in the Rasa environment (no `settings`: pydantic 1 there);
the variable is the one `stack.servers.rasa_server` sets for this child. Refuses to start without it.
Before Rasa starts, the fast message path's replacements of two Rasa internals are installed
(stack.rasa_patches, steps from BERKANE_FAST_PATH).
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    token = os.environ.get("BERKANE_RASA_TOKEN")
    if not token:
        sys.exit("BERKANE_RASA_TOKEN is not set: Rasa's HTTP API would be open to anyone reaching its port")
    from rasa.__main__ import main

    from stack import rasa_patches

    rasa_patches.apply()

    sys.argv = ["rasa", *sys.argv[1:], "--auth-token", token]
    main()
