"""Model files: the bundled packages, the catalogue of known models, GGUF metadata, models found on
disk, and what fits this machine."""
