"""Edgewise core: documents, models, LLM, summaries and translation. Plain Python, never Qt."""

__version__ = "0.1.0"
