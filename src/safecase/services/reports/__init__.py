"""Reports for a UN Special Rapporteur: content redacted by policy and consent, rendered to PDF, signed."""
