"""A pull-request review of a planned change: what `pulumi preview --json` will do to the Data Protection resources,
field by field from the resource schemas, policies in words, warnings (backups deleted, broken role assignments,
one-way settings, refused changes) and the audit findings the change introduces or fixes."""

from pulumi_dataprotection.review.analyze import Review, ReviewedResource, Warning, build_review
from pulumi_dataprotection.review.changes import PreviewError, ResourceChange, parse_preview
from pulumi_dataprotection.review.render import to_json, to_markdown

__all__ = [
    "PreviewError",
    "ResourceChange",
    "Review",
    "ReviewedResource",
    "Warning",
    "build_review",
    "parse_preview",
    "to_json",
    "to_markdown",
]
