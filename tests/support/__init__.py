"""What test modules share: paths and seed dates, stand-ins for the model client and the embedded server, and
hand-built scoring cases.

Rule: a test module imports shared helpers from here (or from ``tests/fake_openai.py``, the scripted endpoint that
also runs as a stand-in server process), never from another test module or from ``conftest.py``, which holds
pytest fixtures and hooks only.
"""
