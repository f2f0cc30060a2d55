from peerfind.cli import run

run()
