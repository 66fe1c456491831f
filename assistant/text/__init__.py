"""Text before and around a model: cleaning and condensing, sentences, packing into parts, language."""
