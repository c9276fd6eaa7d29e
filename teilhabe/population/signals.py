"""Signals other capabilities listen to, so population does not depend on them."""

from django.dispatch import Signal

# Sent after a register import has been committed (on transaction commit); kwargs: register_import.
register_import_committed = Signal()

# Sent after the joint disclosure decision of a committed import was stored (its tables are visible from
# now on); kwargs: register_import. Caches of published numbers and register-based indicators listen here.
register_tables_published = Signal()
