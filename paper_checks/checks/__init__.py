"""The checks of the paper's claims, one module per family (named as in derive/ and verify/)."""
