"""`python -m pipeline` is the same as the `sop-pipeline` command."""

from pipeline.cli import main

if __name__ == "__main__":
    main()
