"""Web layer: the jury blueprint."""
