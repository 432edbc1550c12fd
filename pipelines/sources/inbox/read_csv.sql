-- one row per data line of a well-formed UTF-8 CSV file, every field as the text received (empty stays empty)
select *
from read_csv(
    $path,
    header = true,
    auto_detect = false,
    columns = $columns,
    delim = $delimiter,
    quote = '"',
    escape = '"',
    strict_mode = true,
    null_padding = false,
    force_not_null = $names,
    encoding = 'utf-8',
    compression = $compression
)
