"""Signals other capabilities listen to, so the registry does not depend on them."""

from django.dispatch import Signal

# Sent after the pseudonymised cohort store was rebuilt (on transaction commit); kwargs: records.
cohort_extract_built = Signal()
