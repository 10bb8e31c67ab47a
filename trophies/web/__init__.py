"""Web layer: blueprints by audience (auth, candidate, jury, admin, public, api)."""
