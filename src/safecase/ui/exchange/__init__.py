"""The desktop side of team exchange: contacts with fingerprints and QR codes, sending and receiving bundles,
and resolving conflicts."""
