"""The crypto layer: key derivation, key wrapping, recovery keys, identities and signatures.

Built only on `cryptography` (and `pyrage` for age identities). No Qt, no SQL and no file I/O: the storage
layer reads and writes the bytes this package produces.
"""
