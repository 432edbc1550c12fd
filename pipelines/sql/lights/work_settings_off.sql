-- back to DuckDB's default for whatever the connection does next
reset preserve_insertion_order
