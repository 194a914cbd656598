#!/bin/bash
# Runs one fuzz target until its process has used CPU_SECONDS of CPU time (not wall time:
# the machine may be shared), then stops it with SIGINT so libFuzzer prints its final
# stats. Never pause a fuzzer with SIGSTOP: its wall-clock timeout fires when it resumes.
#   fuzz/run-for-cpu.sh TARGET CPU_SECONDS MAX_LEN      (TIMEOUT=seconds, default 10;
#                                                        RSS=megabytes, default 256)
# After `cargo +nightly fuzz build`, from the repository root; log in fuzz/TARGET.log.
set -u
t=$1 cpu=$2 len=$3
bin=fuzz/target/x86_64-unknown-linux-gnu/release/$t
mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
dict=()
[ -f "fuzz/dict/$t.dict" ] && dict=("-dict=fuzz/dict/$t.dict")
log=fuzz/$t.log
start=$(date +%s)
ASAN_OPTIONS=quarantine_size_mb=8:detect_leaks=0 nice -n 19 "$bin" "fuzz/corpus/$t" "fuzz/seeds/$t" \
  -max_total_time=100000 -rss_limit_mb="${RSS:-256}" -timeout="${TIMEOUT:-10}" -max_len="$len" "${dict[@]}" \
  -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$t/" >"$log" 2>&1 &
pid=$!
tck=$(getconf CLK_TCK)
used=0
while kill -0 "$pid" 2>/dev/null; do
  read -r -a st <"/proc/$pid/stat" 2>/dev/null || break
  used=$(((st[13] + st[14]) / tck))
  [ "$used" -ge "$cpu" ] && kill -INT "$pid"
  sleep 5
done
wait "$pid"
echo "rc=$? wall=$(($(date +%s) - start)) cpu=$used" >>"$log"
