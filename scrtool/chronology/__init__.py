"""The merged chronology: agencies' returns read, placed in date order and written out."""
