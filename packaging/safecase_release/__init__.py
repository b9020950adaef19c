"""The code behind SafeCase's release builds: lock files, the bundle filter, archives, sums and signatures, the SBOM.

Standard library and ``packaging`` (for lock markers) only; PyInstaller is imported by the spec alone, so the tests
run all of it in the test environment.
Entry points: ``packaging/build.py``, ``packaging/sbom.py``, ``packaging/smoke_test.py``.
"""
