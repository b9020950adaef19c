"""Team exchange: contact cards, encrypted signed bundles, their convergent merge, and the sync folder."""
