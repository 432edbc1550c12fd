"""Process-mining event logs (XES, .xes.gz, event-log CSV): cases become documents, events their steps."""
