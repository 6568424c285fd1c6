-- How much output a team's admissions hold up front (see ARCHITECTURE.md, Reservation state
-- machine): 'worst-case' holds prompt + max_tokens, 'expected' prompt + the p95 of the team's recent
-- completed outputs for the model, extended as the stream grows. Existing teams keep 'worst-case'.
ALTER TABLE teams ADD COLUMN hold_policy TEXT NOT NULL DEFAULT 'worst-case' CHECK (hold_policy IN ('worst-case', 'expected'));
