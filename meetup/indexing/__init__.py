"""The bridge between the catalogue (the truth) and the search index (a rebuildable cache of it).

sync brings an index in step with the database, writer is the door the commands and the follower
(the node's one writer) write through, serving gives web processes their read-only index, health
asks at most every few seconds whether the index can be read.
"""
