"""The hardening suite's figures are printed by ``tests.hardening.fuzz_report`` (registered in
the root conftest, so that the xdist controller runs it too)."""
