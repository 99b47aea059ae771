"""Carrying out effects: the review queue and the action log."""
