"""Domain rules as async functions with explicit arguments; no Request objects here.

May import ``events.models``, ``events.pairing`` and the pure builders; never ``events.web``.
"""
