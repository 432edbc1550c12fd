-- one row per batch received: the file that keeps its records exactly as received
insert into raw_batch_file (source, kind, run_id, loaded_at, first_record_no, records, label, format, encoding,
                            location, sha256)
values ($source, $kind, $run_id, $loaded_at, $record_offset, $records, $label, $format, $encoding, $location,
        $sha256)
