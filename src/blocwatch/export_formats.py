"""The file formats `blocwatch export` writes: apart from export.py, so the command line can
offer them without importing the store."""

from __future__ import annotations

from enum import StrEnum


class ExportFormat(StrEnum):
    """The file formats `blocwatch export` writes; the value is the file suffix."""

    CSV = "csv"
    JSON = "json"
    PARQUET = "parquet"
