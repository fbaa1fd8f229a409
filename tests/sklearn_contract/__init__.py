"""scikit-learn's own metric tests against the kit (``plugin.py``)."""
