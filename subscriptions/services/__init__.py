"""The use cases of subscriptions, one module per concept: plans and subscriptions, the credit ledger,
bookings."""
