"""Model -> Markdown pages (with HTML blocks) and the MkDocs configuration that builds them."""
