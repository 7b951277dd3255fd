"""Streamlit pages: each file reads like the page it draws; logic lives in `scoring` and `charts`."""
