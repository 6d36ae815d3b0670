"""Downloading public pages when online (the only part of Hotline Trends that uses the network)."""
