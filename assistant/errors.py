"""Errors a person can act on: every message is written for the user, not the developer."""

from __future__ import annotations


class EdgewiseError(Exception):
    """Base of every expected failure; ``str(error)`` is shown to the user as it is."""


class DocumentError(EdgewiseError):
    """A document could not be read."""


class UnsupportedFormatError(DocumentError):
    pass


class EncryptedDocumentError(DocumentError):
    pass


class NoTextLayerError(DocumentError):
    pass


class CorruptDocumentError(DocumentError):
    pass


class EmptyDocumentError(DocumentError):
    pass


class ModelError(EdgewiseError):
    """A model is missing, damaged or cannot be loaded."""


class ModelNotFoundError(ModelError):
    pass


class ModelVerificationError(ModelError):
    pass


class ModelLoadError(ModelError):
    pass


class OfflineViolationError(EdgewiseError, ConnectionRefusedError):
    """Something tried to reach the network, which Edgewise never does."""
