# Checks of {name}: run here, the public ones; when grading, the hidden ones too.
only_public = True
### BEGIN HIDDEN TESTS
only_public = False
if __name__ == "__main__":  # when grading: the kit's check function, not a redefined one
    from autograder import check
### END HIDDEN TESTS
check("{function}", {name}, public_only=only_public)
