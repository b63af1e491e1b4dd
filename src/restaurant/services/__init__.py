"""Services: the only code that queries the stores."""
