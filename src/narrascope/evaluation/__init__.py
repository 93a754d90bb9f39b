"""Benchmarks' official metrics, reimplemented so figures are comparable with published ones."""
