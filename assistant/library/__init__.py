"""The on-device library: documents indexed into passages, hybrid search over them, answers with citations.

Importing this package is cheap; the embedding model, chromadb and the LLM load on first use.
"""
