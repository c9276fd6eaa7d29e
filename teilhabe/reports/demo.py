def build_demo_report(district):
    pass
