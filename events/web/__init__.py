"""HTTP: thin handlers per audience (public, auth, organise, host, health).

A handler parses the request, calls a service, and renders a template or JSON. May import
``events.services``, ``events.models`` (for types and enums) and ``events.i18n``.
"""
