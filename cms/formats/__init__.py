"""Date formats per language (``FORMAT_MODULE_PATH``).

Templates use the format names (``DATE_FORMAT``, ``DATETIME_FORMAT``, …), never a
pattern, so /en/ shows "Monday 7 December 2026, 14:00" and /de/ and /de-ls/ show
"Montag, 7. Dezember 2026, 14:00". Django's defaults are close for German but
American for English (12-hour clock, month first), which confuses readers here.
Only the names we change are defined; the rest fall through to Django's.
"""
