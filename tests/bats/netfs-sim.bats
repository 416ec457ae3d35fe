#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0

setup() {
	NFT_BIN=${NFT_BIN:-$BATS_TEST_DIRNAME/../../bin}
	SIM=$NFT_BIN/netfs-sim
	SCN=$BATS_TEST_DIRNAME/../fixtures/scenarios
	T=$BATS_TEST_TMPDIR
}

@test "netfs-sim --help" {
	run "$SIM" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--inject"* ]]
}

@test "netfs-sim --list-injections: name first, one per line" {
	run "$SIM" --list-injections
	[ "$status" -eq 0 ]
	[[ "$output" == *write-retry-extra-ref* ]]
	[ "$(echo "$output" | wc -l)" -ge 9 ]
}

@test "same seed, same bytes; another seed, other bytes" {
	"$SIM" --seed 7 -o "$T/a"
	"$SIM" --seed 7 -o "$T/b"
	"$SIM" --seed 8 -o "$T/c"
	cmp "$T/a" "$T/b"
	! cmp -s "$T/a" "$T/c"
}

@test "tracefs header and dialect differences" {
	"$SIM" --dialect 6.12 -o "$T/612"
	"$SIM" --dialect 7.2 -o "$T/72"
	head -1 "$T/72" | grep -q '^# tracer: nop'
	grep -q 'NEW         r=1' "$T/612"
	grep -q 'NEW         r=2' "$T/72"
	grep -q 'PUT WORK IP ' "$T/72"
	! grep -q 'PUT WORK IP' "$T/612"
	grep -Eq 'f=[0-9a-f]{3} s=[0-9a-f]+ [0-9a-f]+/[0-9a-f]+ s=[0-9]+ e=' "$T/72"
}

@test "clean run: empty ground truth" {
	"$SIM" --truth "$T/truth" -o /dev/null
	[ ! -s "$T/truth" ]
}

@test "every injection writes a non-empty ground truth" {
	for i in $("$SIM" --list-injections | awk '{print $1}'); do
		for d in 6.12 7.2; do
			rc=0
			"$SIM" --dialect $d --inject "$i" --truth "$T/t" -o /dev/null || rc=$?
			# 3: the bug belongs to the other dialect's generation.
			[ $rc -eq 3 ] && continue
			[ $rc -eq 0 ]
			[ -s "$T/t" ] || { echo "empty truth: $i $d"; false; }
		done
	done
}

@test "scenario file with retries runs" {
	run "$SIM" "$SCN/cifs-retry.scn" --truth "$T/t"
	[ "$status" -eq 0 ]
	[[ "$output" == *RETRY* ]]
}

@test "bad scenario: clear error, exit 2" {
	run "$SIM" "$SCN/bad.scn"
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad.scn:3:"* ]]
}

@test "unknown injection and dialect: exit 2" {
	run "$SIM" --inject nope
	[ "$status" -eq 2 ]
	run "$SIM" --dialect 5.0
	[ "$status" -eq 2 ]
}

@test "--events runs until N events" {
	"$SIM" --events 20000 -o "$T/o"
	[ "$(grep -vc '^#' "$T/o")" -ge 20000 ]
}

# ---- pasted forms (--form) ----

@test "--form trace is the default layout, byte for byte" {
	"$SIM" --seed 3 -o "$T/a"
	"$SIM" --seed 3 --form trace -o "$T/b"
	cmp "$T/a" "$T/b"
}

@test "--form comm, task, bare: the pasted prefixes, no tracefs header" {
	"$SIM" --seed 3 -o "$T/trace"
	"$SIM" --seed 3 --form comm -o "$T/comm"
	"$SIM" --seed 3 --form task -o "$T/task"
	"$SIM" --seed 3 --form bare -o "$T/bare"
	! grep -q '^#' "$T/comm"
	head -1 "$T/comm" | grep -Eq '^dd-[0-9]+: netfs_rreq_ref: R=[0-9a-f]{8} NEW'
	head -1 "$T/task" | grep -Eq '^dd: netfs_rreq_ref: R=[0-9a-f]{8} NEW'
	head -1 "$T/bare" | grep -Eq '^netfs_rreq_ref: R=[0-9a-f]{8} NEW'
	grep -q '^kworker/u8:[01]-[0-9]*: netfs_' "$T/comm"
	# Same events, same fields: only the prefix differs.
	grep -v '^#' "$T/trace" | sed 's/^.*[0-9]: \([a-z_]*: \)/\1/' > "$T/t2b"
	cmp "$T/t2b" "$T/bare"
	[ "$(wc -l < "$T/comm")" -eq "$(wc -l < "$T/bare")" ]
}

@test "--form wrapped: no row over 72 columns, nothing lost, some cuts inside a value" {
	"$SIM" --seed 3 -o "$T/trace"
	"$SIM" --seed 3 --form wrapped -o "$T/wrapped"
	[ "$(awk 'length > 72' "$T/wrapped" | wc -l)" -eq 0 ]
	[ "$(wc -l < "$T/wrapped")" -gt "$(wc -l < "$T/trace")" ]
	# Rejoined without blanks, the text is the same.
	tr -d ' \n' < "$T/trace" > "$T/a"
	tr -d ' \n' < "$T/wrapped" > "$T/b"
	cmp "$T/a" "$T/b"
	# A mail client's break (at a blank) and a terminal's (inside a value).
	grep -Eq '^[0-9a-f]+ [A-Z]' "$T/wrapped"
	grep -Eq '^(R=|ix=)' "$T/wrapped"
	"$SIM" --seed 3 --form bare-wrapped -o "$T/bw"
	[ "$(awk 'length > 72' "$T/bw" | wc -l)" -eq 0 ]
}

@test "--form: an unknown form is a usage error" {
	run "$SIM" --form html
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown form"* ]]
}

# ---- issue-10 injections: the historical shapes ----

@test "an injection of another kernel generation: exit 3 with the reason" {
	run "$SIM" --inject bad-donation --dialect 7.2 -o "$T/t"
	[ "$status" -eq 3 ]
	[[ "$output" == *"6.10-6.13"* ]]
	run "$SIM" --inject all-queued-race --dialect 6.12 -o "$T/t"
	[ "$status" -eq 3 ]
	[[ "$output" == *"6.14"* ]]
	run "$SIM" --inject early-unlock-eof --dialect 6.12 -o "$T/t"
	[ "$status" -eq 3 ]
}

@test "all-queued-race: COMPLET before the last subrequest ends, nothing after it" {
	"$SIM" --inject all-queued-race --dialect 7.2 -o "$T/t" --truth "$T/truth"
	grep -q '"ref-leak","object":"R=000000ef\[2\]"' "$T/truth"
	grep -q '"ref-leak","object":"R=000000ef"' "$T/truth"
	grep -v folio "$T/t" | grep 'R=000000ef' > "$T/r"
	c=$(grep -n 'RA COMPLET' "$T/r" | cut -d: -f1)
	t=$(grep -n 'R=000000ef\[2\] DOWN TERM' "$T/r" | cut -d: -f1)
	[ "$c" -lt "$t" ]
	tail -1 "$T/r" | grep -q 'SEE WORK    r=1'
	! grep -q 'R=000000ef\[2\] DOWN FREE' "$T/r"
	! grep -q 'R=000000ef RA FREE' "$T/r"
}

@test "all-queued-race over cifs: [2] prepared before COMPLET, submitted after" {
	"$SIM" "$BATS_TEST_DIRNAME/../engine/scenarios/cifs.scn" --inject all-queued-race \
		-o "$T/t" --truth "$T/truth"
	[ "$(wc -l < "$T/truth")" -eq 2 ]
	grep -v folio "$T/t" | grep 'R=000000ef' > "$T/r"
	p=$(grep -n 'R=000000ef\[2\] DOWN PREP' "$T/r" | cut -d: -f1)
	c=$(grep -n 'RA COMPLET' "$T/r" | cut -d: -f1)
	s=$(grep -n 'R=000000ef\[2\] DOWN SUBMT' "$T/r" | cut -d: -f1)
	[ "$p" -lt "$c" ] && [ "$c" -lt "$s" ]
}

@test "early-unlock-eof: the EOF folio is unlocked before the ZERO slice is submitted (570ad253a345 log)" {
	"$SIM" --inject early-unlock-eof --dialect 7.2 -o "$T/t" --truth "$T/truth"
	grep -q '"early-unlock","object":"R=000000ef"' "$T/truth"
	grep -q 'sz=c05fb2' "$T/t"
	u=$(grep -n 'ix=00c05-00c05 read-unlock' "$T/t" | cut -d: -f1)
	z=$(grep -n 'R=000000ef\[2\] ZERO SUBMT' "$T/t" | cut -d: -f1)
	[ "$u" -lt "$z" ]
	grep -q 'netfs_collect_folio: R=000000ef ix=00c05 r=c05000-c05fb2 t=c05000/c05fb2' "$T/t"
	grep -q 'R=000000ef\[2\] ZERO SUBMT f=[0-9a-f]* s=c05fb2 0/4e' "$T/t"
}

@test "bad-donation: [1] donates past its neighbour [2] to [3] (6.12)" {
	"$SIM" --inject bad-donation --dialect 6.12 -o "$T/t" --truth "$T/truth"
	grep -q '"bad-donation","object":"R=000000ef\[1\]"' "$T/truth"
	grep -q 'netfs_donate: R=000000ef\[01\] -> \[03\] to-next am=800' "$T/t"
	a=$(grep -n 'R=000000ef\[2\] ---- ADD' "$T/t" | cut -d: -f1)
	d=$(grep -n 'netfs_donate: R=000000ef' "$T/t" | cut -d: -f1)
	[ "$a" -lt "$d" ]
	! grep -q 'R=000000ef\[2\] ZERO TERM' "$T/t"
}

@test "a clean 6.12 donation: netfs_progress per folio, netfs_donate before DON-N, as the kernel" {
	# The shape of 6.12.107 smallreads R=00000715 (a 0x1400-byte file).
	printf 'i_size 0x1400\n[op]\ntype readahead\nsize 0x2000\n' > "$T/s"
	"$SIM" "$T/s" --dialect 6.12 --form bare -o "$T/t"
	grep -A5 'R=000000e3\[1\] ---- ADD' "$T/t" > "$T/a"
	sed -n 2p "$T/a" | grep -qx 'netfs_progress: R=000000e3\[01\] s=0 ct=0/1400 pa=1000/1400 sl=0'
	sed -n 5p "$T/a" | grep -qx 'netfs_progress: R=000000e3\[01\] s=1000 ct=1000/1400 pa=400/400 sl=1'
	sed -n 6p "$T/a" | grep -qx 'netfs_donate: R=000000e3\[01\] -> \[ffffffff\] defer-next am=400'
	grep -A1 'netfs_donate' "$T/t" | grep -q 'R=000000e3\[1\] DOWN DON-N f=02 s=0 1400/1400'
	"$SIM" "$T/s" --dialect 7.2 -o "$T/t72"
	! grep -q 'netfs_progress\|netfs_donate' "$T/t72"
}

@test "cache lifecycle: acquire, lookup, one io access per request, relinquish to r=0" {
	for d in 6.12 7.2; do
		"$SIM" "$BATS_TEST_DIRNAME/../engine/scenarios/cache.scn" --dialect $d -o "$T/t"
		head -20 "$T/t" | grep -q 'fscache_cookie: c=00000001 NEW acq   r=1'
		grep -q 'fscache_acquire: c=00000001 V=00000001 vr=2 vc=1' "$T/t"
		b=$(grep -c 'fscache_access: c=00000001 BEGIN io_' "$T/t")
		n=$(grep -c 'netfs_rreq_ref: R=[0-9a-f]* NEW' "$T/t")
		[ "$b" -eq "$n" ]
		[ "$b" -eq "$(grep -c 'fscache_access: c=00000001 END   io ' "$T/t")" ]
		grep -q 'cachefiles_ref: c=00000001 o=00000001 u=1 PUT detach' "$T/t"
		grep -q 'fscache_cookie: c=00000001 PQ  work  r=0' "$T/t"
		tail -1 "$T/t" | grep -q 'fscache_volume: V=00000001 PUT cook  u=1'
		grep -q 'netfs_read: R=[0-9a-f]* READAHEAD c=00000001' "$T/t"
	done
	"$SIM" "$BATS_TEST_DIRNAME/../engine/scenarios/cache-umount.scn" -o "$T/u"
	grep -A3 'V=00000001 PUT relnq u=0' "$T/u" | grep -q 'V=00000001 FREE      u=0'
}

@test "cache-withdraw-under-access: the object is detached while io_read is open" {
	"$SIM" --inject cache-withdraw-under-access -o "$T/t" --truth "$T/truth"
	grep -q '"use-after-free","object":"c=00000001"' "$T/truth"
	grep -q 'fscache_cookie: c=00000001 -   lrudo' "$T/t"
	b=$(grep -n 'BEGIN io_read' "$T/t" | tail -1 | cut -d: -f1)
	x=$(grep -n 'c=00000001 -   x-lru' "$T/t" | cut -d: -f1)
	p=$(grep -n 'PUT detach' "$T/t" | cut -d: -f1)
	[ "$b" -lt "$x" ] && [ "$x" -lt "$p" ]
	[ "$(tail -n +"$b" "$T/t" | grep -c 'END   io ')" -eq 0 ]
	[ "$(grep -c 'fscache_relinquish' "$T/t")" -eq 0 ]
}

@test "volume-use-leak: a second acquisition collides and the first volume keeps its use" {
	"$SIM" --inject volume-use-leak -o "$T/t" --truth "$T/truth"
	grep -q '"ref-leak","object":"V=00000001"' "$T/truth"
	grep -q 'fscache_volume: V=00000001 NEW acq   u=1' "$T/t"
	grep -q 'fscache_volume: V=00000001 \*COLLIDE\* u=2' "$T/t"
	grep -q 'fscache_volume: V=00000002 FREE      u=0' "$T/t"
	grep -q 'fscache_volume: V=00000001 PUT cook  u=1' "$T/t"
	! grep -q 'V=00000001 PUT relnq' "$T/t"
}

@test "clean twins with a cache stay silent in every readable form" {
	for d in 6.12 7.2; do
		for f in trace comm task bare; do
			"$SIM" "$BATS_TEST_DIRNAME/../engine/scenarios/cache.scn" --dialect $d \
				--form $f -o "$T/t"
			run "$NFT_BIN/netfs-replay" "$T/t"
			[ "$status" -eq 0 ]
			[[ "$output" == *"findings: 0"* ]]
		done
	done
}

@test "ground truth: a stuck verdict is marked as resting on the clock" {
	"$SIM" --inject lost-wakeup --truth "$T/truth" -o /dev/null
	grep -q '"kind":"stuck".*"clock":true' "$T/truth"
	"$SIM" --inject over-read --truth "$T/truth" -o /dev/null
	! grep -q clock "$T/truth"
}

@test "lru_reuse: the fixed kernel's LRU race keeps the cookie (the twin of cache-withdraw-under-access)" {
	"$SIM" "$BATS_TEST_DIRNAME/../engine/scenarios/cache-lru.scn" -o "$T/t" --truth "$T/truth"
	[ ! -s "$T/truth" ]
	l=$(grep -n 'c=00000001 -   lrudo' "$T/t" | cut -d: -f1)
	u=$(grep -n 'fscache_active: c=00000001 USE ' "$T/t" | tail -1 | cut -d: -f1)
	[ "$l" -lt "$u" ]
	! grep -q 'x-lru' "$T/t"
	[ "$(grep -c 'PUT detach' "$T/t")" -eq 1 ]
	[ "$(grep -c 'BEGIN io_' "$T/t")" -eq "$(grep -c 'END   io ' "$T/t")" ]
	run "$NFT_BIN/netfs-replay" "$T/t"
	[[ "$output" == *"findings: 0"* ]]
}

# ---- nonsense is refused (issue 11): the reproducers, and the classes ----

# $1: scenario; $2: the line the error must name; $3: a word of the message.
refused() {
	run timeout 10 "$SIM" "$1" -o "$T/out"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == "netfs-sim: $1:$2: "* ]]
	[[ "$output" == *"$3"* ]]
	[ "${#lines[@]}" -eq 1 ]
	[ ! -s "$T/out" ]
}

@test "refused: count -1 (was 2^64-1, GBs of output)" {
	refused "$SCN/refused/sim-count-negative-unbounded.scn" 3 "count: '-1' is not a number in 1..1000000"
}

@test "refused: think_us 2^64-1 (was SIGFPE)" {
	refused "$SCN/refused/sim-think-us-fpe.scn" 1 "think_us"
}

@test "refused: a NUL byte (was the silent end of the scenario)" {
	refused "$SCN/refused/sim-nul-truncates.scn" 5 "NUL byte"
	refused "$SCN/refused/sim-nul-hides-bad-op.scn" 4 "NUL byte"
}

@test "refused in bounded time: wsize 1 with a retry fault (was quadratic, > 120 s)" {
	refused "$SCN/refused/sim-wsize1-retry-quadratic.scn" 3 "262144 subrequests; at most 4096"
}

@test "refused: out of range, zero where it divides, sign, wrap, NaN, unknown" {
	while IFS='|' read -r text line what; do
		printf '%b' "$text" > "$T/x.scn"
		refused "$T/x.scn" "$line" "$what"
	done <<'CASES'
rsize 0\n|1|rsize: '0' is not a number in 1..
wsize 0x40000001|1|wsize
latency_us 0|1|latency_us
jitter_us -5|1|jitter_us
ino 0x100000000|1|ino
concurrency 9|1|concurrency
short_prob nan|1|short_prob
error_prob 1.5|1|error_prob
retry_limit 0|1|retry_limit
events 1000000001|1|events
cache 2|1|cache
first_id 0xffffffff|1|first_id
\n[op]\ncount 0|3|count
[op]\nsize 0|2|size
[op]\nsize 1x|2|size
[op]\ncount 99999999999999999999999|2|count
[op]\nfault_subreq 0|2|fault_subreq
[op]\nfault_times 256|2|fault_times
[op]\ntype nosuchop|2|unknown op type
count 3|1|an op key: it goes after an [op] line
[op]\noffset 0x4000000000000000\nsize 0x1000|1|at most 2^62
[op]\noffset 0x3fffff0000000000\ncount 1000\nstride 0x10000000000|1|at most 2^62
concurrency 8\n[op]\ntype dio_read\nsize 0x40000000\ncount 1000000|2|at most 4194304
CASES
}

@test "refused: --events and --seed out of range name the option" {
	run "$SIM" --events -1
	[ "$status" -eq 2 ]
	[[ "$output" == "netfs-sim: --events: '-1' is not a number in 0..1000000000" ]]
	run "$SIM" --seed x
	[ "$status" -eq 2 ]
	[[ "$output" == *"--seed"* ]]
}

@test "errors name the file: unreadable scenario, output, write error (exit 1)" {
	run "$SIM" "$T/nonexistent.scn"
	[ "$status" -eq 2 ]
	[[ "$output" == "netfs-sim: $T/nonexistent.scn: No such file or directory" ]]
	run "$SIM" -o "$T/no/such/dir/out"
	[ "$status" -eq 2 ]
	[[ "$output" == "netfs-sim: $T/no/such/dir/out: "* ]]
	[ -w /dev/full ] || skip "no /dev/full"
	run "$SIM" -o /dev/full
	[ "$status" -eq 1 ]
	[[ "$output" == "netfs-sim: /dev/full: write error: "* ]]
}

@test "a scenario from a pipe is read to its end" {
	run "$SIM" <(printf 'server cifs\n[op]\ntype dio_read\ncount 2\n') -o "$T/out"
	[ "$status" -eq 0 ]
	[ "$(grep -c 'netfs_rreq_ref: R=.* NEW' "$T/out")" -eq 2 ]
}

@test "within the bounds, a large run stays linear (wsize 0x1000 + retry: seconds)" {
	printf 'wsize 0x1000\nserver cifs\n[op]\ntype writeback\nsize 0x400000\ncount 8\nfault eagain\nfault_subreq 2\nretry_max_len 0x1000\n' > "$T/big.scn"
	run timeout 60 "$SIM" "$T/big.scn" -o /dev/null
	[ "$status" -eq 0 ]
}

@test "property: random garbage and mutated scenarios never crash or hang" {
	python3 - "$T" <<'PY'
import random, sys, os
random.seed(11)
# sane values per key; one line in a few gets a nasty one instead
good = {"server": ["cifs", "9p"], "rsize": ["0x1000", "0x10000"],
        "wsize": ["0x1000", "0x4000"], "cache_wsize": ["0x4000"], "cache": ["0", "1"],
        "i_size": ["0x100000", "0"], "latency_us": ["10", "300"], "jitter_us": ["0", "50"],
        "think_us": ["0", "100"], "short_prob": ["0.1"], "error_prob": ["0.05"],
        "error": ["eagain", "eio"], "retry_limit": ["3"], "concurrency": ["1", "2"],
        "thread_stride": ["0x200000"], "first_id": ["1"], "ino": ["5"],
        "cache_hit": ["0.5"], "umount": ["0", "1"], "lru_reuse": ["0"],
        "dialect": ["7.2", "6.12"]}
ogood = {"type": ["readahead", "read_folio", "write_begin", "dio_read",
                  "unbuffered_read", "read_single", "writeback", "writethrough",
                  "dio_write", "unbuffered_write", "copy_to_cache"],
         "count": ["1", "3"], "offset": ["0", "0x100000"], "size": ["0x1000", "0x20000"],
         "stride": ["0", "0x40000"], "fault": ["eagain", "short", "zero", "eio"],
         "fault_subreq": ["1", "2"], "fault_times": ["1", "2"],
         "retry_max_len": ["0x1000", "0"], "cache_fail": ["0", "1"]}
nasty = ["0", "-1", "18446744073709551615", "18446744073709551616", "nan", "inf",
         "1e9", "0x", "", "0x40000000", "99999999999", "0x7fffffffffffffff", "1"]
def line(table):
    k = random.choice(list(table))
    v = random.choice(nasty) if random.random() < 0.25 else random.choice(table[k])
    return k + " " + v
gkeys, okeys = good, ogood
def junk():
    return "".join(chr(random.randint(0, 255)) for _ in range(random.randint(0, 20)))
for i in range(150):
    lines = [line(gkeys) for _ in range(random.randint(0, 4))]
    for _ in range(random.randint(0, 3)):
        lines.append("[op]")
        lines += [line(okeys) for _ in range(random.randint(0, 4))]
    # now and then a line of random bytes (NUL included) or a NUL in a line
    if random.random() < 0.3:
        lines.insert(random.randint(0, len(lines)), junk())
    if lines and random.random() < 0.1:
        k = random.randrange(len(lines))
        lines[k] = lines[k] + "\x00"
    with open(os.path.join(sys.argv[1], "g%d.scn" % i), "wb") as f:
        f.write("\n".join(lines).encode("latin-1"))
PY
	for i in $(seq 0 149); do
		rc=0
		timeout 10 "$SIM" "$T/g$i.scn" -o /dev/null 2>"$T/err" || rc=$?
		# 0: ran, 2: refused with FILE:LINE; never a signal or a hang (124)
		{ [ $rc -eq 0 ] || { [ $rc -eq 2 ] && grep -q "^netfs-sim: $T/g$i.scn" "$T/err"; }; } ||
			{ echo "g$i.scn: status $rc"; cat "$T/g$i.scn"; cat "$T/err"; false; }
	done
}
