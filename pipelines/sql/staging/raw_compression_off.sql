-- the warehouse's other tables are compressed as usual
reset force_compression
