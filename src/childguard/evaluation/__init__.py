"""Measuring detection: metrics, dataset adapters and the `childguard eval` runner."""
