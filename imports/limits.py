"""The import limits' defaults, each overridden by the setting and environment variable of the
same name with DEFAULT_ dropped (IMPORT_MAX_ROWS, ...).

It imports nothing, so config.settings reads the defaults from here as it loads: one place
says what an import may hold.
"""

DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 200_000
DEFAULT_MAX_CELLS = 1_000_000
# A workbook of the office's size unpacks to a few MB; hundreds of MB is a zip bomb.
DEFAULT_MAX_INFLATED_BYTES = 100 * 1024 * 1024
# Rows a preview lists; its summary always counts them all.
DEFAULT_PREVIEW_ROWS = 500
MAX_COLUMNS = 50
# Excel's own limit on the text of one cell.
MAX_CELL_CHARACTERS = 32_767
