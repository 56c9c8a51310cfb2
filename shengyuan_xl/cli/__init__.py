"""The ``shengyuan`` command line."""
