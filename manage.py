#!/usr/bin/env python
"""Django's command-line utility for bkklib (same as the ``bkklib`` console script)."""
from bkklib.cli import main

if __name__ == "__main__":
    main()
