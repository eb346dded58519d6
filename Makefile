# Two commands for people: `make run` and `make test`. Both install what is missing first.
.PHONY: run test ui app screenshot bindings icons deb sim clean-e2e

CARGO ?= cargo
APP := target/debug/phraseanet-desktop

run:
	@scripts/setup.sh run
	@$(MAKE) --no-print-directory app
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	  echo "No graphical display here (DISPLAY and WAYLAND_DISPLAY are unset)."; \
	  echo "Phraseanet Desktop is a windowed app: run 'make run' from a desktop session,"; \
	  echo "or 'make screenshot' to start it under a virtual display and save target/screenshots/app.png."; \
	  exit 1; \
	fi
	@$(APP)

test:
	@scripts/setup.sh test
	@scripts/test.sh

ui:
	@cd ui && npm run -s build

app: ui
	$(CARGO) build -p phraseanet-desktop

# Starts the app under Xvfb, waits for its window, saves a screenshot, stops it.
screenshot: app
	@scripts/setup.sh test
	@scripts/screenshot.sh $(APP) target/screenshots/app.png

# Regenerates ui/src/lib/bindings from the Rust types.
bindings:
	$(CARGO) test -q -p phraseanet-client -p phraseanet-app --lib export_bindings_

# Regenerates every icon size and format from icons/icon.svg.
icons:
	cd ui && npx tauri icon ../icons/icon.svg -o ../icons
	rm -rf icons/android icons/ios
	cp icons/128x128.png ui/public/favicon.png

# Linux packages (release build, named by the app id, validated): target/release/bundle/{deb,rpm}/.
.PHONY: rpm release install-test
deb: ui
	@scripts/package-linux.sh deb

rpm: ui
	@scripts/package-linux.sh rpm

# Bumps the one version everywhere and opens its changelog entry: make release VERSION=x.y.z
release:
	@test -n "$(VERSION)" || { echo "usage: make release VERSION=x.y.z"; exit 1; }
	@packaging/bump-version.sh $(VERSION)

# Builds the .deb, installs it, runs the installed app end to end, removes it (scripts/test-installed.sh).
install-test: ui
	@scripts/setup.sh test
	@scripts/test-installed.sh

# The Phraseanet double on its own, e.g. for the CLI: prints its URL and demo credentials.
sim:
	$(CARGO) run -q -p phraseanet-sim -- --dataset demo

# One table of figures, each beside a baseline measured in the same run (release build; docs/bench.md).
.PHONY: bench
bench:
	@scripts/setup.sh test
	@scripts/bench.sh
