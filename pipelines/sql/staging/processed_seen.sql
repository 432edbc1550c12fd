-- one row when a file with this content was already taken from this source
select 1 from processed_file where source = $source and sha256 = $sha256
