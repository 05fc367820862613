#!/bin/bash
# net-batch.sh: read batching (ws_ctx_set_rx_batch, what the UI uses):
# with reading paused between batches, over ws:// and wss://, a lone line
# still arrives, a burst of 300 lines arrives whole and in order, and the
# last line of a burst is never left behind (bytes lws or TLS already held
# when reading paused are drained when it resumes, with no new data to
# wake it).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
net_require
sh "$top_srcdir/tests/mkcert.sh" "$TEST_TMP/pki" ||
    skip_all "cannot make test certificates"
fake_start --tls "$TEST_TMP/pki/cert.pem" "$TEST_TMP/pki/key.pem" \
    --open-channels || { ok 1 "fake-twitch starts"; done_testing; }

# burst CHANNEL TAG N: N lines said in one admin connection.
burst() {
	: >"$TEST_TMP/burst.cmds"
	for i in $(seq "$3"); do
		printf 'say %s someone %s line %d\n' "$1" "$2" "$i" \
		    >>"$TEST_TMP/burst.cmds"
	done
	admin_batch "$TEST_TMP/burst.cmds" >/dev/null
}

check_conn() {	# NAME LABEL CHANNEL
	n=$1 label=$2 ch=$3
	wait_log "$n" 10 "^join $ch ok"
	ok $? "$label: batched reader joins"
	admin say "$ch" someone a lone line >/dev/null
	wait_log "$n" 5 "a lone line\$"
	ok $? "$label: a lone line arrives"
	burst "$ch" "b1" 300
	wait_log "$n" 10 "b1 line 300\$"
	ok $? "$label: the last line of a 300-line burst arrives"
	got=$(grep -c " b1 line [0-9]*\$" "$TEST_TMP/$n.log")
	[ "$got" = 300 ]
	ok $? "$label: all 300 lines arrive (got $got)"
	grep -o " b1 line [0-9]*\$" "$TEST_TMP/$n.log" |
	    sed 's/.* //' >"$TEST_TMP/$n.order"
	seq 300 | cmp -s - "$TEST_TMP/$n.order"
	ok $? "$label: in the order they were said"
	# Bursts spaced by less and more than the pause: nothing stuck.
	for k in 1 2 3 4 5; do
		burst "$ch" "s$k" 20
		sleep 0.03
	done
	wait_log "$n" 5 "s5 line 20\$"
	ok $? "$label: the last of five spaced bursts arrives"
	got=$(grep -c " s[1-5] line [0-9]*\$" "$TEST_TMP/$n.log")
	[ "$got" = 100 ]
	ok $? "$label: and all 100 of them (got $got)"
	admin say "$ch" someone after the bursts >/dev/null
	wait_log "$n" 5 "after the bursts\$"
	ok $? "$label: a lone line after the bursts arrives"
	log_has "$n" '^bad' && show_log "$n"
	! log_has "$n" '^bad'
	ok $? "$label: no line came in broken"
	drv "$n" quit
	driver_wait "$n" 10
	ok $? "$label: the driver quits"
	log_has "$n" '^closed clean'
	ok $? "$label: everything closes cleanly"
}

driver_start a --url "ws://localhost:$FAKE_WS/" --rx-batch 40 \
    --duration 60000 alpha
check_conn a ws alpha

driver_start b --url "wss://localhost:$FAKE_WSS/" \
    --ca-file "$TEST_TMP/pki/ca.pem" --rx-batch 40 --duration 60000 beta
check_conn b wss beta
done_testing
