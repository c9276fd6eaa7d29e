"""Signals other capabilities listen to, so population does not depend on them."""

from django.dispatch import Signal

# Sent after a register import has been committed (on transaction commit); kwargs: register_import.
register_import_committed = Signal()
