"""Restores: typed request builders (``requests``), the ARM calls of recovery points, restores and jobs (``api``),
and restore drills with their evidence records (``drill``)."""
