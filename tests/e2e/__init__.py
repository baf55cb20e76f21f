"""End-to-end tests: the built Pulumi CLI drives the examples and small programs against the emulator."""
