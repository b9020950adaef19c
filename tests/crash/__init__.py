"""Crash-injection tests: SIGKILL a writer child at each durability point and check what it leaves behind."""
