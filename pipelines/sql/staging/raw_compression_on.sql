-- raw payloads are long JSON texts: zstd stores them smaller and faster than the default encodings
set force_compression = 'zstd'
