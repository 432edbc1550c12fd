-- the warehouse's own tables are compressed as usual
reset force_compression
