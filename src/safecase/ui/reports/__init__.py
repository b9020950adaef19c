"""The desktop side of reports: the report wizard with its preview, and signing and saving."""
