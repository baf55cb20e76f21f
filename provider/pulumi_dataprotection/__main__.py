"""``python -m pulumi_dataprotection``: the pulumi-dataprotection command line."""

import sys

from pulumi_dataprotection.cli_entry import main

sys.exit(main())
