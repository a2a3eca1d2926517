"""Pre-publication checks of a document: readability, redaction and the others."""
