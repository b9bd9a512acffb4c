"""`python -m service` runs the unkg command line."""

from service.cli import main

main()
