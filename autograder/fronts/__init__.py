"""The fronts: every way in to the core (command line, batch, Gradescope, release, self-check, notebooks, assign)."""
