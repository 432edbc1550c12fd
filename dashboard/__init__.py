"""Xiaoneng dashboard: a Streamlit app that only reads published warehouse snapshots."""
