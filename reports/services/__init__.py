"""Every write of the reports app: one module per concept, one function per use case, atomic, audited."""
