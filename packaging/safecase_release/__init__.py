"""The code behind SafeCase's release builds: lock files, the bundle filter, archives, sums and signatures, the SBOM.

Standard library only (PyInstaller is imported by the spec alone), so the tests run it in the test environment.
Entry points: ``packaging/build.py``, ``packaging/sbom.py``, ``packaging/smoke_test.py``.
"""
