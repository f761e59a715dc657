"""sop-pipeline: runs the SOP Pemeliharaan Server from the clerks' Excel register."""

__version__ = "0.1.0"
