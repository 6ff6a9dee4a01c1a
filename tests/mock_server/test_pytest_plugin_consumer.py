"""Another team's project, with a ``contracts`` package and a ``mock_server`` module of its own,
runs its tests and ours side by side: the plugin installs and imports only ``wolkvox_mock``."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def test_a_project_with_its_own_contracts_and_mock_server_uses_the_fixtures(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        **{
            "contracts/__init__.py": "OWNER = 'the consumer'\n",
            "mock_server.py": "def serve():\n    return 'their server'\n",
            "test_theirs.py": """
                import contracts
                import mock_server


                def test_their_modules_are_theirs():
                    assert contracts.OWNER == 'the consumer'
                    assert mock_server.serve() == 'their server'


                def test_our_fixture_works_beside_them(wolkvox_client, wolkvox):
                    result = wolkvox_client.add_interaction(
                        from_='ana@example.com', to='soporte', subject='Hola', body='...', rp_id='1'
                    )
                    assert result.agent_id == '1001'
                    wolkvox.assert_interaction(rp_id='1', agent_id='1001')
            """,
        }
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--import-mode=prepend")
    result.assert_outcomes(passed=2)
