"""Pure functions of the reports app: no Django, no I/O."""
