"""The central database (校库): SQLAlchemy 2, SQLite by default, PostgreSQL in production."""
