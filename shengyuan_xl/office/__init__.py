"""The admissions office's jobs on the central database: campaigns, roster import, build, merge, export."""
