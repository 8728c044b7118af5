"""Samen Offline: phone-free gatherings of young and older people.

The package is layered: ``web`` (HTTP) calls ``services`` (rules) which use ``models``
(Tortoise ORM). ``pairing`` is pure. ``app.create_app`` is the only place that wires them.
"""
