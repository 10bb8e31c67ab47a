"""Pure domain: dataclasses and functions with no Flask, SQLAlchemy or web import."""
