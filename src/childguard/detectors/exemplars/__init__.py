"""Similarity to labelled exemplars: the contrastive index, its encoders, and the detector."""
