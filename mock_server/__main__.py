"""``python -m wolkvox_mock`` is the ``wolkvox-mock`` command."""

from wolkvox_mock.cli import main

main()
