def build_demo_concept(district: object) -> None:
    return None
