"""SafeCase benchmarks: run with ``python benchmarks/run.py [--quick]``; see benchmarks/README.md."""
