"""Renderers: turn results into text for people and machines. The library never prints."""
