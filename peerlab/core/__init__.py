"""Mechanisms shared by every feature: clock, errors, types, the feature registry, shared form
and URL helpers, timebox and timed agendas, due items, live rooms (live/), presence, spaces and
author marks."""
