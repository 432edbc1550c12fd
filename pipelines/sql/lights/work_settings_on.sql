-- the run's working tables and rewrites need no particular row order: without it DuckDB writes in parallel
set preserve_insertion_order = false
