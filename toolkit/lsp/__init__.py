"""`fabula lsp`: the language server, a face over the pipeline like the command line and `watch`."""
