-- A kept file may hold more than one batch (a month's pulls compacted into one file): row_offset is the row of the
-- file that holds the batch's first record, so record record_no is row row_offset + (record_no - first_record_no).
-- DuckDB cannot add a NOT NULL column "if not exists" in one step; both steps change nothing when applied again.
alter table raw_batch_file add column if not exists row_offset bigint default 0;
alter table raw_batch_file alter column row_offset set not null;
