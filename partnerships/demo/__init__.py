"""The demo partnerships of the seed agreements, one module per part; load_demo runs them."""
