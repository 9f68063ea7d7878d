"""What the running parts share to be watched: one JSON object per log line (`observability.jsonlog`)."""
