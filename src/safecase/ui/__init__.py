"""The desktop app (PySide6). The only package that imports QtWidgets; it reaches the vault through services."""
