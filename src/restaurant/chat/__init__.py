"""A turn's run: the run lock, the event log, transcripts and the runner over the graph."""
