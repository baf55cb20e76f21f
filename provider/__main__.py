"""``python -m provider``: the pulumi-dataprotection command line."""

import sys

from provider.cli import main

sys.exit(main())
