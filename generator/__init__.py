"""Rollcall: General Orders and training scenarios into a static, offline website."""

__version__ = "0.1.0"
