"""Evidence files in the desktop app: the evidence list, previews and recording."""
