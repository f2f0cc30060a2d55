from peerfind.main import run

run()
