"""The back office on the web: knowledge base, unanswered queue, conversations, handoffs, training, analytics.

A Starlette application with Jinja2 templates and plain HTML forms (little JavaScript: the charts), served by
uvicorn (`make admin`). It reads and changes the same state as the assistant (`settings.var_dir()`): the
knowledge versions through `knowledge.admin`, the feedback file through `knowledge.feedback`, the tracker
store read-only. Accounts, roles and the audit log live in `var/admin.sqlite`.
"""
