"""Use cases: read -> parse -> transition -> render -> write. Protocol-free."""
