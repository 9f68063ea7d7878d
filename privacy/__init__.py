"""Personal data (law 09-08, CNDP): masking of identifiers before anything is stored, private files.

Plain modules (`redact`, `files`) import in both environments; `tracker_store` needs Rasa (3.10 env only).
"""
