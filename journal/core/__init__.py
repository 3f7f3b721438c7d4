"""The Qt-free core: vault, domain, repositories, search, templates, Markdown.

Nothing in this package imports Qt (an import-linter contract checks it), so it
can serve the desktop app, the command line and tests alike.
"""
