"""HTTP: thin handlers per audience (public, signup, host, door, organise, calendar, api).

A handler parses the request, calls a service, and renders a template or JSON. May import
``events.services`` (records and enums through ``events.services.records``), the pure
modules (``events.i18n``, ``events.urls``, ``events.calendars``, ``events.tickets``) and
``events.settings``; never ``events.models`` or Tortoise: every query is a service's.
"""
