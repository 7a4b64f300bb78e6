"""The permissions of a model whose records are loaded and downloaded as spreadsheets."""

# Importing and exporting are separate jobs from editing, so each has its own permission
# ("Can import agreement", "Can export agreement"), checked by django-import-export.
SPREADSHEET_PERMISSIONS = ("add", "change", "delete", "view", "import", "export")
