"""The web pages: the counsellor's (/), the secretary's (/letter), the office's desk (/office)."""
