"""scrtool: paperwork for child safeguarding practice reviews."""

__version__ = "0.1.0"
