"""Mechanisms shared by every feature: clock, errors, types, timebox, due items, realtime."""
