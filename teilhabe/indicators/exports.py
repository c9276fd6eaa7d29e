"""Downloads of a dashboard table: the platform's one export writer (teilhabe.lib.exports)."""

from teilhabe.lib.exports import XLSX_TYPE, table_response

__all__ = ["XLSX_TYPE", "table_response"]
