"""Dashboard pages: one module per page, each only wiring widgets to library functions."""
