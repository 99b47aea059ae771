"""Training the shipped heads (and a platform's own): ``childguard train``. Needs the ``train`` extra."""
