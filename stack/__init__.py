"""Starting, watching and stopping the assistant's processes (action server, Rasa server, a client).

Used by `make serve`, `make run` and the test fixtures, so that the way the servers are started in
tests is the way they are started for users.
"""
