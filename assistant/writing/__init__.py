"""What the model writes for a person: summaries and translations."""
