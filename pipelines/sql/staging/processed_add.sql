-- one row per file taken from an inbox: never read twice
insert or ignore into processed_file (source, file_name, sha256, size_bytes, run_id, processed_at, moved_to)
values ($source, $file_name, $sha256, $size_bytes, $run_id, $processed_at, $moved_to)
