"""Use cases: ORM <-> domain; they flush, never commit; the acting user is passed in."""
