"""Pages of the care app."""
