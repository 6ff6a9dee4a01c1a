"""``python -m mock_server`` is the ``wolkvox-mock`` command."""

from mock_server.cli import main

main()
