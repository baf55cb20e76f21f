"""Old name of `restore.client`, kept until the merge.

# old name, deleted by the issue-27 rename pass
"""

from pulumi_dataprotection.restore.client import RestoreApi, newest

__all__ = ["RestoreApi", "newest"]
