"""The encrypted vault: its files, keys, database, schema, repositories and backups."""
