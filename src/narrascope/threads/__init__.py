"""Comment threads: parsed from HTML structure, platform JSON and plain-text renderings."""
