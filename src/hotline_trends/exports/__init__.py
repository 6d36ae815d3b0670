"""Take a chart away: CSV of the data behind it, PNG of the figure, and a zip bundle with methods.md.

``table`` and ``bundle`` are pure (bytes in memory, no streamlit); ``png`` drives Debian's chromium through
kaleido, offline.
"""
