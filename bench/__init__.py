"""Benchmarks, run by `make bench` (bench/run_all.py), not by the test suite."""
