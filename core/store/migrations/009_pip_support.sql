-- A PIP's plan is set when HR approves it (or later, before the employee acknowledges it):
-- goals, end date, check-in interval, and the support the employee is offered.
ALTER TABLE cases ADD COLUMN IF NOT EXISTS support text;
