"""Use cases: each loads, asks the engine, commits, then publishes (STYLE habit 2)."""
