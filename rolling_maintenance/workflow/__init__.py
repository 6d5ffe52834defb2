"""The Python half of the workbook: names, states, the session input, the ask record."""
