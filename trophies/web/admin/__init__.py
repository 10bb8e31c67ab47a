"""Web layer: the admin blueprint."""
