"""The report stage: renders the results it is given (feedback, dashboard, gradebooks, JSON) and runs nothing."""
