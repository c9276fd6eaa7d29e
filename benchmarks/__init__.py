"""Benchmark scripts; each prints its figures (see the README of each issues docs)."""
