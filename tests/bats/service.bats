#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# make install: binaries, systemd units (ExecStart= at the installed
# binary) and the alerting rules land under DESTDIR; systemd-analyze verify
# finds nothing to say about the units (docs/service.md).

setup() {
	ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	D=$BATS_TEST_TMPDIR/dest
}

# make from inside make check: not its jobserver, not its variables.
install_to() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make -s -C "$ROOT" install DESTDIR="$D" "$@" >/dev/null
}

@test "make install DESTDIR: binaries, units, alert rules" {
	install_to PREFIX=/usr
	[ -x "$D/usr/bin/netfs-top" ]
	[ -x "$D/usr/bin/netfs-replay" ]
	for u in netfs-top-exporter.service netfs-top-textfile.service netfs-top-textfile.timer; do
		[ -f "$D/usr/lib/systemd/system/$u" ]
		[ "$(stat -c %a "$D/usr/lib/systemd/system/$u")" = 644 ]
	done
	[ -f "$D/usr/share/doc/netfs-trace/netfs-alerts.yml" ]
	[ -f "$D/usr/share/doc/netfs-trace/service.md" ]
	[ -f "$D/usr/share/doc/netfs-trace/metrics-procstats.md" ]
	! grep -r '@BINDIR@' "$D/usr/lib/systemd/system"
	grep -q '^ExecStart=/usr/bin/netfs-top --listen .* --fail-on none' "$D/usr/lib/systemd/system/netfs-top-exporter.service"
	grep -q '^ExecStart=/usr/bin/netfs-top --stats-only ' "$D/usr/lib/systemd/system/netfs-top-textfile.service"
}

@test "make install honours SYSTEMD_UNIT_DIR and BINDIR" {
	install_to PREFIX=/opt/nft SYSTEMD_UNIT_DIR=/etc/systemd/system
	[ -f "$D/etc/systemd/system/netfs-top-exporter.service" ]
	[ -x "$D/opt/nft/bin/netfs-top" ]
	grep -q '^ExecStart=/opt/nft/bin/netfs-top ' "$D/etc/systemd/system/netfs-top-exporter.service"
}

@test "systemd-analyze verify: the units are clean" {
	command -v systemd-analyze >/dev/null || skip "no systemd-analyze (Debian: systemd)"
	install_to PREFIX=/usr
	mkdir "$BATS_TEST_TMPDIR/v"
	# ExecStart= must exist for verify: point it into DESTDIR.
	for u in "$D"/usr/lib/systemd/system/netfs-top-*; do
		sed "s|^ExecStart=/usr/bin/|ExecStart=$D/usr/bin/|" "$u" > "$BATS_TEST_TMPDIR/v/${u##*/}"
	done
	cd "$BATS_TEST_TMPDIR/v"
	run systemd-analyze verify --man=no ./netfs-top-exporter.service ./netfs-top-textfile.service ./netfs-top-textfile.timer
	echo "$output"
	[ "$status" -eq 0 ]
	# unknown or misspelt settings are only warnings: none allowed
	[ -z "$output" ]
}

@test "the exporter's hardening keeps tracefs writable" {
	u=$ROOT/scripts/systemd/netfs-top-exporter.service.in
	# ProtectKernelTunables= remounts /sys (tracefs too) read-only
	! grep -q '^ProtectKernelTunables=yes' "$u"
	grep -q '^ReadWritePaths=.*/sys/kernel/tracing' "$u"
	grep -q '^ProtectSystem=strict' "$u"
	grep -q '^CapabilityBoundingSet=$' "$u"
	# a refusal (exit 2) is not restarted; SIGTERM's 143 is a clean stop
	grep -q '^RestartPreventExitStatus=2' "$u"
	grep -q '^SuccessExitStatus=143' "$u"
}

@test "every option the units pass is one netfs-top knows" {
	help=$("$ROOT/bin/netfs-top" --help)
	[[ "$help" == *"--listen"* ]] || skip "netfs-top has no --listen yet (h-prom's branch)"
	for o in $(sed -n 's/^ExecStart=@BINDIR@\/netfs-top //p' "$ROOT"/scripts/systemd/*.in | tr ' ' '\n' | grep '^--'); do
		[[ "$help" == *"$o"* ]] || { echo "unknown option $o"; false; }
	done
}

@test "root without capabilities can run live netfs-top (tracefs by ownership)" {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	command -v setpriv >/dev/null || skip "no setpriv"
	T=$BATS_TEST_TMPDIR/tracefs
	mkdir -p "$T/instances"
	tar xf "$BATS_TEST_DIRNAME/../fixtures/top/formats-6.12.tar" -C "$T"
	chmod 750 "$T" "$T/instances"
	NETFS_TOP_TRACEFS=$T run setpriv --inh-caps=-all --bounding-set=-all "$ROOT/bin/netfs-top" -b -n 1 -d 0.1
	[ "$status" -eq 0 ]
	[ -z "$(ls "$T/instances")" ]
}
