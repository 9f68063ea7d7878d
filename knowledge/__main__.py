"""`python -m knowledge`: see knowledge/cli.py."""

import sys

import settings
from knowledge.cli import main

settings.check()
sys.exit(main())
