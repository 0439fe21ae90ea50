"""blocwatch: a sourced record of which states line up in joint letters, statements and votes."""

__version__ = "0.1.0"
