"""The `safecase` command line: the same services as the desktop app, no Qt."""
