-- one row: the file of the database this connection writes (null in memory)
select path from duckdb_databases() where database_name = current_database()
