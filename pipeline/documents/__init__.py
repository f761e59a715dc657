"""The six documents: their declarations, their fields, rendering, and the default Word templates."""
