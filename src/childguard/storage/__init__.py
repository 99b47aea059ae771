"""Storage: narrow interfaces (interfaces.py), an in-memory store and a SQL store."""
