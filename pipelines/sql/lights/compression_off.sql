-- the working tables of a run are read once or twice and dropped: compressing them costs more than it saves
set force_compression = 'uncompressed'
