"""Web layer: the api blueprint."""
