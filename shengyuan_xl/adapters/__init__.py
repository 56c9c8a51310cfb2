"""Adapters between the neutral sheet view and the outside: files now, live Excel later."""
