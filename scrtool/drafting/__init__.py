"""Documents made from templates: ``fill``, the report skeleton and response, request packs."""
