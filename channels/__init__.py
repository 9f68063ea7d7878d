"""Rasa input channels of the project (loaded by the Rasa server from credentials.yml)."""
