"""The results store: scored evaluations kept in SQLite for history, averages and ranks."""
