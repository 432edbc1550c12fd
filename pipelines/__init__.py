"""Xiaoneng pipelines: everything that writes the warehouse."""
