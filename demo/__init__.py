"""The embedded demo city: a simulator of government source systems that feeds the real pipelines."""
