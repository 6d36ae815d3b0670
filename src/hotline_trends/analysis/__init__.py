"""Pure analysis functions on DataFrames: no streamlit, no plotly, no disk.

Callers (the CLI, the pages) load frames from the store and pass them in; results are plain objects and
frames that say how they were computed.
"""
