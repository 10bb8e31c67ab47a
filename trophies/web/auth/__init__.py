"""Web layer: the auth blueprint."""
