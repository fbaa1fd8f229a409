"""Worked solutions (activations, losses, metrics): the student stubs are generated from them."""
