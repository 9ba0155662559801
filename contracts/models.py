"""Models of the contracts app."""
