"""Benchmarks of wolkvox-mock (``make bench``): live with wrk, in-process, and memory.

Not part of the test suite (pytest's testpaths is ``tests``) and not installed with the package.
"""
