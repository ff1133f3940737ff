"""`make bench`: Socket.IO load on peerlab and on a bare Flask-SocketIO server.

See docs/benchmark.md.
"""
