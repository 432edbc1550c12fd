"""Relational databases (PostgreSQL, MySQL/MariaDB, SQLite) read in bulk into Arrow with ADBC or connectorx."""
