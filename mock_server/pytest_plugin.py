"""pytest plugin of wolkvox-mock, registered through the ``pytest11`` entry point.

The fixtures arrive with the plugin work (see the README's "pytest fixtures" section)."""
