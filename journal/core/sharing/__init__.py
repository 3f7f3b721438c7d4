"""What leaves the vault: the selection, bundles, the report and its charts,
share codes, and the export of everything."""
