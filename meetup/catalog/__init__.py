"""The talk catalogue: the tables, the files organisers import and export, validation, seeding, data quality.

It knows nothing of search or of the web: the index and the pages are built on top of it.
"""
