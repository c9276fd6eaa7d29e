"""Protection classes of stored fields (DP-02): every KiIM model lists each field's class in ``PROTECTION``."""

N, PII, SOZ, RES, ART9 = "none", "pii", "sozialdatum", "residence_status", "art9"

__all__ = ["ART9", "PII", "RES", "SOZ", "N"]
