#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the check-kernel initramfs (busybox sh); see run.sh.
#
# 9p tag data -> /mnt/t (cache=loose: buffered reads go through netfs
# readahead, writes through netfs writeback), tag out -> /out (cache=none,
# written only after tracing is over, so the copy is not counted).
#
# What it does:
#   0. a "witness" instance records the same events as text;
#   1. snapshot /proc/fs/netfs/stats, start netfs-top -b --json -d 1 -n N
#      (output to guest /tmp), wait until its instance exists;
#   2. snapshot the stats, run the workload (dd reads of known files, dd
#      writes + sync), snapshot the stats again;
#   3. wait for netfs-top to finish, list instances/;
#   4. start a second netfs-top, SIGTERM it in the middle of a cold read,
#      list instances/ again;
#   5. copy everything to /out and power off.
# The first netfs-top is also the exporter (docs/metrics.md): --textfile
# /tmp/tf (netfs.prom every interval) and --listen 127.0.0.1:9858, scraped
# with busybox wget once the workload is done.
# Anything the host needs is in /out; the console only helps a human.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs -o size=256m tmp /tmp
exec >/dev/console 2>&1
R=/tmp/res
mkdir -p $R /mnt/t /out
log() { echo "[guest $(cut -d' ' -f1 /proc/uptime)] $*"; echo "$(cut -d' ' -f1 /proc/uptime) $*" >> $R/guest.log; }
N=$(cat /etc/iterations)
log "kernel $(uname -r), netfs-top -n $N"
uname -r > $R/uname-r
for m in $(cat /modules/load.order); do insmod /modules/$m 2>>$R/insmod.err || log "insmod $m failed"; done
mount -t tracefs nodev /sys/kernel/tracing || log "tracefs mount failed"
T=/sys/kernel/tracing
mnt9p() { # tag dir opts
	for try in 1 2 3 4 5; do
		mount -t 9p -o trans=virtio,version=9p2000.L,$3 $1 $2 2>/tmp/mnterr && return 0
		sleep 1
	done
	log "mount $1 $2 $3 failed: $(cat /tmp/mnterr)"; return 1
}
mnt9p out /out cache=none
finish() {
	log "finish: $1"
	echo "$1" > $R/status
	dmesg > $R/dmesg.txt
	cp $R/* /out/ 2>/dev/null
	sync; umount /out
	poweroff -f
}
[ -d /proc/fs/netfs ] || finish "no /proc/fs/netfs"
[ -d $T/events/netfs ] || finish "no netfs events in $T"
mnt9p data /mnt/t cache=loose || finish "9p mount failed"
grep ' /mnt/t ' /proc/mounts >> $R/guest.log
ls $T/instances > $R/instances-before

# wait_started PID FILE: until netfs-top PID has printed its first interval
# (then its instance exists, its events are on and it is reading), at most
# 60 s; false if it died or never got there
wait_started() {
	i=0
	while [ ! -s $2 ]; do
		i=$((i+1)); [ $i -gt 600 ] && return 1
		kill -0 $1 2>/dev/null || return 1
		usleep 100000
	done
}

# ---- 0. a witness: the same events as text, in an instance of its own -----------
# If netfs-top reports a finding, netfs-replay on this text tells a live-path
# problem (the witness is clean) from one of the model (it is not).
W=$T/instances/witness
mkdir $W && echo 65536 > $W/buffer_size_kb &&
	for s in netfs fscache cachefiles; do echo 1 > $W/events/$s/enable; done ||
	log "no witness instance"

# ---- 1. netfs-top in the background ------------------------------------------
cat /proc/fs/netfs/stats > $R/stats-start
log "starting netfs-top"
# loopback for --listen
ifconfig lo 127.0.0.1 up 2>> $R/guest.log || ip link set lo up 2>> $R/guest.log
mkdir -p /tmp/tf
netfs-top -b --json -d 1 -n $N --textfile /tmp/tf --listen 127.0.0.1:9858 \
	> /tmp/top.json 2> $R/top.err &
TOP=$!
if ! wait_started $TOP /tmp/top.json; then
	ls $T/instances > $R/instances-running
	kill $TOP 2>/dev/null; wait $TOP; echo $? > $R/top.rc
	cp /tmp/top.json $R/top.json
	finish "netfs-top printed no interval (exit status $(cat $R/top.rc))"
fi
ls $T/instances > $R/instances-running
# from here on every netfs request is seen
log "netfs-top pid $TOP running (instance $(grep netfs-top- $R/instances-running))"

# ---- 2. the workload -------------------------------------------------------------
cat /proc/fs/netfs/stats > $R/stats-before
log "workload start"
sync; echo 3 > /proc/sys/vm/drop_caches
dd if=/mnt/t/big of=/dev/null bs=1M 2>> $R/workload.log          # sequential read: readahead
for f in /mnt/t/small/f*; do cat $f > /dev/null; done             # small files: one readahead each
dd if=/mnt/t/med of=/dev/null bs=4k count=64 skip=500 2>> $R/workload.log
dd if=/dev/zero of=/mnt/t/w_big bs=64k count=128 2>> $R/workload.log   # 8 MiB buffered write
sync
dd if=/dev/zero of=/mnt/t/w_odd bs=3000 count=50 2>> $R/workload.log
i=0; while [ $i -lt 20 ]; do echo "append line $i" >> /mnt/t/w_append; i=$((i+1)); done
sync
cat /mnt/t/w_append > /dev/null
log "workload end"
cat /proc/fs/netfs/stats > $R/stats-after
kill -0 $TOP 2>/dev/null && echo running > $R/top-alive-after-workload || echo exited > $R/top-alive-after-workload
# the exporter, scraped live: classic text, then OpenMetrics
wget -q -O $R/scrape.prom http://127.0.0.1:9858/metrics 2>> $R/guest.log ||
	log "scrape failed"
wget -q -O $R/scrape.om --header 'Accept: application/openmetrics-text; version=1.0.0' \
	http://127.0.0.1:9858/metrics 2>> $R/guest.log || log "OpenMetrics scrape failed"

# ---- 3. netfs-top finishes by itself -----------------------------------------------
wait $TOP
echo $? > $R/top.rc
log "netfs-top exited rc=$(cat $R/top.rc)"
ls $T/instances > $R/instances-after
cp /tmp/top.json $R/top.json
ls -A /tmp/tf > $R/textfile-dir
cp /tmp/tf/netfs.prom $R/netfs.prom 2>/dev/null
if [ -d $W ]; then
	echo 0 > $W/tracing_on
	cp $W/trace $R/witness.txt
	rmdir $W
fi

# ---- 4. SIGTERM on a running netfs-top ---------------------------------------------
netfs-top -b --json -d 1 > /tmp/top-term.json 2> $R/top-term.err &
P=$!
wait_started $P /tmp/top-term.json || log "second netfs-top printed no interval"
ls $T/instances > $R/instances-term-running
# stop it while requests are in progress: a cold read of big is running
sync; echo 3 > /proc/sys/vm/drop_caches
cat /mnt/t/small/f1 > /dev/null
dd if=/mnt/t/big of=/dev/null bs=1M 2>/dev/null &
DD=$!
sleep 2
kill -TERM $P
wait $P
echo $? > $R/top-term.rc
wait $DD
log "SIGTERM'd netfs-top exited rc=$(cat $R/top-term.rc)"
ls $T/instances > $R/instances-term-after
cp /tmp/top-term.json $R/top-term.json

cat /proc/fs/netfs/stats > $R/stats-end
finish done
