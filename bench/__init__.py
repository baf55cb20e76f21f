"""Benchmarks of the provider: create against the critical-path bound, no-change runs against the engine's floor,
the official SDK as a peer, and per-operation costs (``make bench`` / ``python -m bench``; see bench/README.md)."""
