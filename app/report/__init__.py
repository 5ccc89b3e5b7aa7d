"""The review's report: built once as plain data, then laid out by each renderer. No Qt here."""
