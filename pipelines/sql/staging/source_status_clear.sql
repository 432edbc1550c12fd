-- removes the source status rows before they are rebuilt
delete from source_status
