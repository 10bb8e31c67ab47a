"""Web layer: the public blueprint."""
