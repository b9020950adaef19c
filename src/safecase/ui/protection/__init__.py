"""Protection while the app is in use: idle lock, clipboard clearing, screen-lock events, private windows."""
