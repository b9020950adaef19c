"""SafeCase: an encrypted, offline-first vault for human-rights documentation."""

__version__ = "0.1.0"
