"""Entry point: `gunicorn wsgi:app` in production, `flask --app wsgi ...` for the CLI."""

from trophies import create_app

app = create_app()
