# Thin wrappers around ./dev, for people who type make. ./dev installs what is missing first.
.PHONY: demo run test bench screenshots setup
demo run:
	./dev demo
test:
	./dev test
bench:
	./dev bench
screenshots:
	./dev screenshots
setup:
	./dev setup
