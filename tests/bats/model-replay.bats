#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# netfs-replay --model on the real captures of tests/fixtures: the numbers
# are the ones docs/model-replay.md explains.

load helper
bats_require_minimum_version 1.5.0

model_summary() {
	"$REPLAY" --model "$@" 2>/dev/null | tail -1
}

@test "--model 7.2 dioread: every request matches, exit 0" {
	run "$REPLAY" --model "$FIX/7.2/dioread.txt.xz"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "model: 40 requests, 40 match, 0 depart, 0 not modelled" ]
	[ "$(grep -c ' DR match$' <<<"$output")" -eq 40 ]
}

@test "--model 6.12 cifs seqread and 9p append (text and trace.dat): all match" {
	run model_summary "$FIX/6.12/smb_seqread.txt.xz"
	[ "$output" = "model: 6 requests, 6 match, 0 depart, 0 not modelled" ]
	run model_summary "$FIX/6.12/append.txt.xz"
	[ "$output" = "model: 40 requests, 40 match, 0 depart, 0 not modelled" ]
	run model_summary "$FIX/6.12/append.dat"
	[ "$output" = "model: 40 requests, 40 match, 0 depart, 0 not modelled" ]
}

@test "--model 6.1: not modelled, exit 0" {
	run "$REPLAY" --model "$FIX/6.1/append.txt.xz"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "R=00000bb1 RW not modelled (6.1)" ]
	[ "${lines[1]}" = "model: 1 requests, 0 match, 0 depart, 1 not modelled" ]
}

@test "--model 7.2 retry: the second failed try departs at line 517, exit 1" {
	run "$REPLAY" --model "$FIX/7.2/retry1_smb_fault_killloop.txt.xz"
	[ "$status" -eq 1 ]
	[ "${lines[-1]}" = "model: 22 requests, 21 match, 1 depart, 0 not modelled" ]
	grep -qx 'R=000000ff DR departs at line 517: R=000000ff\[1\] #9: kernel <failure read DOWN e=-11> model <sreq DOWN I-RTR>' <<<"$output"
}

@test "--model 6.12 cifs DIO reads: the last termination assesses before its PUT TERM, exit 1" {
	run "$REPLAY" --model "$FIX/6.12/retry1_smb_fault_killloop.txt.xz"
	[ "$status" -eq 1 ]
	[ "${lines[-1]}" = "model: 32 requests, 31 match, 1 depart, 0 not modelled" ]
	[ "$(grep -c 'PUT CLEAR r=1> model <sreq_ref PUT TERM' <<<"$output")" -eq 0 ]
	# cifs failed it inside issue_read: no cifsd line, replayed as 9p
	grep -qx 'R=00000106 DR departs at line 504: R=00000106\[1\] #2: kernel <sreq DOWN SUBMT> model <sreq DOWN TERM>' <<<"$output"
}

@test "--model 6.16/6.18 (text and trace.dat): no RA-PUT, DIO read ADD, DIO writes collected by the app thread" {
	local f

	for f in 6.16/fc_write 6.18/truncate 6.18/smb_dio; do
		run model_summary "$FIX/$f.txt.xz"
		[[ "$output" =~ ^model:\ ([0-9]+)\ requests,\ ([0-9]+)\ match ]]
		[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ] || {
			echo "$f: $output"
			return 1
		}
		[ "$(model_summary "$FIX/$f.dat")" = "$output" ]
	done
	run model_summary "$FIX/6.16/fc_write.txt.xz"
	[ "$output" = "model: 21 requests, 21 match, 0 depart, 0 not modelled" ]
	run model_summary "$FIX/6.18/smb_dio.txt.xz"
	[ "$output" = "model: 24 requests, 24 match, 0 depart, 0 not modelled" ]
}

@test "--model 6.16 smb_fault_killloop: only the failed submission departs" {
	run "$REPLAY" --model "$FIX/6.16/smb_fault_killloop.txt.xz"
	[ "$status" -eq 1 ]
	[ "${lines[-1]}" = "model: 69 requests, 67 match, 1 depart, 1 not modelled" ]
	grep -qx 'R=00001345 DR departs at line 1970: R=00001345\[1\] #2: kernel <sreq DOWN SUBMT> model <failure read DOWN e=-103>' <<<"$output"
	grep -qx 'R=0000134a WB not modelled (faults on 2 subrequests (the engine scripts one))' <<<"$output"
}

@test "--model 6.18 smb_fault_killloop: a read cifs wants retried fails on 6.18" {
	run "$REPLAY" --model "$FIX/6.18/smb_fault_killloop.txt.xz"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "model: 58 requests, 58 match, 0 depart, 0 not modelled" ]
	grep -qx 'R=00001616 DR match' <<<"$output"
}

@test "--model 7.3 fault_shrink: 9p reads past the server's EOF are cleared (N-CLR, CLEAR)" {
	run "$REPLAY" --model "$FIX/7.3/fault_shrink.txt.xz"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "model: 64 requests, 64 match, 0 depart, 0 not modelled" ]
	[ "$(model_summary "$FIX/7.3/fault_shrink.dat")" = "${lines[-1]}" ]
	run model_summary "$FIX/7.3/smb_mmap_trunc_append.txt.xz"
	[ "$output" = "model: 27 requests, 27 match, 0 depart, 0 not modelled" ]
}

@test "--model 7.3: cross-CPU put and RA-PUT orders go through term-put-race and ra-refs-wait" {
	out=$("$REPLAY" --model --json "$FIX/7.3/smb_smallreads.txt.xz")
	[ "$(json_get 'd["model_summary"]["match"]' <<<"$out")" = 96 ]
	[ "$(json_get 'd["model_summary"]["ignored"]["term-put-race"]' <<<"$out")" = 13 ]
	[ "$(json_get '[m["request"] for m in d["model"] if "term-put-race" in m["ignored"]][0]' <<<"$out")" = 000011df ]
	out=$("$REPLAY" --model --json "$FIX/7.3/mmapwrite_head.txt.xz")
	[ "$(json_get 'd["model_summary"]["match"]' <<<"$out")" = 28 ]
	[ "$(json_get 'd["model_summary"]["depart"]' <<<"$out")" = 0 ]
	[ "$(json_get 'd["model_summary"]["ignored"]["ra-refs-wait"]' <<<"$out")" = 5 ]
}

@test "--model: lost events make a request not modelled" {
	run "$REPLAY" --model "$FIX/7.2/lost-stuck.txt"
	[ "$status" -eq 0 ]
	grep -qx 'R=000009a6 DR not modelled (events were lost while it was alive)' <<<"$output"
	[ "${lines[-1]}" = "model: 3 requests, 2 match, 0 depart, 1 not modelled" ]
}

@test "--model --json: the model array and summary" {
	out=$("$REPLAY" --model --json "$FIX/7.2/retry1_smb_fault_killloop.txt.xz" || true)
	[ "$(json_get 'd["model_summary"]["depart"]' <<<"$out")" = 1 ]
	[ "$(json_get 'len(d["model"])' <<<"$out")" = 22 ]
	[ "$(json_get '[m["line"] for m in d["model"] if m["result"] == "depart"]' <<<"$out")" = "[517]" ]
	[ "$(json_get 'd["model_summary"]["ignored"]["collector-runs"]' <<<"$out")" = 1 ]
}

@test "--model with -R is a usage error; bad input exit 2" {
	run "$REPLAY" --model -R 1 "$FIX/7.2/dioread.txt.xz"
	[ "$status" -eq 2 ]
	run "$REPLAY" --model /nonexistent
	[ "$status" -eq 2 ]
	run "$REPLAY" --model /dev/null
	[ "$status" -eq 2 ]
}

# The real captures of ../shared/corpus (not shipped with the tree): the
# engine gaps closed against them must stay closed.
CORPUS=$BATS_TEST_DIRNAME/../../../shared/corpus

corpus_summary() {
	local f="$CORPUS/$1/$2.txt.xz"

	[ -f "$f" ] || skip "no corpus capture $1/$2"
	model_summary "$f"
}

@test "--model corpus 7.2 fc_read: the cache's PREP before the server read" {
	run corpus_summary 7.2.13+deb14-amd64 fc_read
	[ "$output" = "model: 137 requests, 137 match, 0 depart, 0 not modelled" ]
}

@test "--model corpus 6.12 donations and ZERO CLEAR: every read matches" {
	local w

	for w in smallreads truncate mmapwrite smb_smallreads; do
		run corpus_summary 6.12.107+deb13-amd64 $w
		[[ "$output" =~ ^model:\ ([0-9]+)\ requests,\ ([0-9]+)\ match ]]
		[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ] || {
			echo "$w: $output"
			return 1
		}
	done
	run corpus_summary 6.12.107+deb13-amd64 smb_mmap_trunc_append
	[ "$output" = "model: 27 requests, 27 match, 0 depart, 0 not modelled" ]
}

@test "--model corpus 6.12 fault_shrink: 9p short reads are cleared, not retried" {
	run corpus_summary 6.12.107+deb13-amd64 fault_shrink
	[ "$output" = "model: 64 requests, 64 match, 0 depart, 0 not modelled" ]
}

@test "--model corpus 7.2 smb_dio: WAIT-QUIESCE while the cifs write is on the wire" {
	run corpus_summary 7.2.13+deb14-amd64 smb_dio
	[ "$output" = "model: 24 requests, 24 match, 0 depart, 0 not modelled" ]
}

@test "--model corpus 6.12 cifs DIO reads: PUT CLEAR, PUT TERM; an error fails, after TERM" {
	run corpus_summary 6.12.107+deb13-amd64 smb_dio
	[ "$output" = "model: 24 requests, 24 match, 0 depart, 0 not modelled" ]
	run corpus_summary 6.12.107+deb13-amd64 smb_fault_killloop
	[ "$output" = "model: 5 requests, 5 match, 0 depart, 0 not modelled" ]
}

@test "--model corpus 6.12 cache reads and writes: work item, 1 MiB cache writes, cache-only writeback" {
	run corpus_summary 6.12.107+deb13-amd64 fc_read
	[ "$output" = "model: 137 requests, 137 match, 0 depart, 0 not modelled" ]
	run corpus_summary 6.12.107+deb13-amd64 smb_fsc
	[ "$output" = "model: 17 requests, 17 match, 0 depart, 0 not modelled" ]
	run corpus_summary 6.12.107+deb13-amd64 fc_write
	[ "$output" = "model: 21 requests, 21 match, 0 depart, 0 not modelled" ]
}

@test "--model corpus 7.2 seqread and diowrite: ra-refs-wait, term-put-race" {
	run corpus_summary 7.2.13+deb14-amd64 seqread
	[ "$output" = "model: 512 requests, 512 match, 0 depart, 0 not modelled" ]
	run corpus_summary 6.12.107+deb13-amd64 diowrite
	[ "$output" = "model: 36 requests, 36 match, 0 depart, 0 not modelled" ]
}
