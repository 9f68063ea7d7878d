"""Clients of the assistant: the Telegram bot (`python -m bot`) and the terminal chat (`python -m bot.terminal`).

Both talk to the Rasa server through its REST channel only (`bot.rasa_client`), so they never import Rasa and
run in the Python 3.11 environment.
"""
