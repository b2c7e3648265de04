"""The ``kompass`` command: a thin shell over the public API."""
