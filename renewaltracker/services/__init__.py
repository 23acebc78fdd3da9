"""Use cases over storage: what the UI and the CLI ask for. No Qt here."""
