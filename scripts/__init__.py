"""Scripts the site build runs: the mkdocs hooks and the media page's pictures."""
