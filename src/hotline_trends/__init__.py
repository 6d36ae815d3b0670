"""Hotline Trends: honest regional trend analysis of hotline and police counts around big events."""

__version__ = "0.1.0"
