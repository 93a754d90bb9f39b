"""``python -m narrascope`` runs the command line."""

from narrascope.cli import main

main()
