"""The clerks' register: its declared sheets and columns, the .xlsx container, and the reader."""
