"""HTTP routers, one per resource family."""
