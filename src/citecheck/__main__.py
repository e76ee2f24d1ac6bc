"""python -m citecheck"""

from citecheck.cli import command

command()
