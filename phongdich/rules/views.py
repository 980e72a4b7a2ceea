"""Pages of the rules app."""
