"""What is done with an open journal: guided recall, the timeline, the motif
catalog, Markdown and entry rendering, the demo journal."""
