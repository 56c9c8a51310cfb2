"""Synthetic demo data: never real people."""
