"""Lean Coffee services: typed functions with the actor's participant row and `now` as
parameters. They flush, never commit, never touch request/session/socketio. Every mutation
starts with `rounds.lock(round_id)`, which bumps the round's version (and so serialises
changes of one round in the database) before anything is read or checked."""
