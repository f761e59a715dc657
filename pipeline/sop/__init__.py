"""The SOP as data: its twelve steps, the working-day calendar, and who holds which role."""
