"""Files dropped into an inbox folder: CSV (UTF-8 or GB18030), XLSX ledgers, Parquet and JSON."""
