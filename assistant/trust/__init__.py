"""What makes a result checkable: the figure check, key points with their pages, and provenance."""
