"""The bridge between the catalogue (the truth) and the search index (a rebuildable cache of it).

sync brings an index in step with the database, follower is the node's one writer, serving
gives web processes their read-only index, health tells whether an index can be read.
"""
