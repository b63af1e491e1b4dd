"""Persistence: SQLModel tables (PostgreSQL) and Beanie documents (MongoDB)."""
