"""Alembic migrations of the library's database (run by :meth:`Database.migrate`)."""
