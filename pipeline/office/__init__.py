"""A new office folder: `sop-pipeline init`, the blank and the example register, sample photos."""
