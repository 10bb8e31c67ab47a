"""Web layer: the candidate blueprint."""
