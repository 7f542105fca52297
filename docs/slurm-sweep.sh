#!/usr/bin/env bash
# A forcegen sweep as a Slurm job array: one shard per array task, then one merge job.
#
#   sbatch docs/slurm-sweep.sh                                 # 8 shards, 2 CPUs each
#   sbatch --array=1-32%8 --cpus-per-task=16 -p long docs/slurm-sweep.sh
#   FORCEGEN_SWEEP=my/sweep.toml FORCEGEN_OUTDIR=run-a sbatch docs/slurm-sweep.sh
#
# Submit it from the directory the paths below are relative to (jobs run there). sbatch
# hands the submitting environment to the jobs, so set these before `sbatch`:
#
#   FORCEGEN         the binary (default ./target/release/forcegen; a bare name is looked
#                    up in PATH)
#   FORCEGEN_SWEEP   the sweep file (default scenarios/paris-2026/sweep.toml)
#   FORCEGEN_OUTDIR  the output directory, on a file system every node sees (default
#                    forcegen-sweep)
#
# The array is the split: `--array=1-N` (a throttle such as `%8` is fine) makes N shards,
# and task I solves `forcegen sweep --shard I/N` with `--jobs` set to its --cpus-per-task
# (2 here, which any node has: a task asking for more CPUs than a node of the partition
# has waits forever, with reason PartitionConfig). --time bounds each task (30 minutes
# here); a task stopped by it can be resubmitted and resumes (below).
#
# The first task to start records N in FORCEGEN_OUTDIR and queues one merge job (1 CPU, no
# array, same partition) that starts when every task of the array has ended, whether it
# succeeded or not. The merge lists the shards that did not finish, with their task ids;
# when every shard finished it writes FORCEGEN_OUTDIR/sweep.csv (`forcegen merge`, which
# refuses a missing or doubled variant) and its Markdown summary sweep-summary.md.
#
# A task that Slurm requeues, or that you resubmit into the same FORCEGEN_OUTDIR (after a
# time limit, a cancel or a node failure: `sbatch --array=3,5 docs/slurm-sweep.sh`),
# resumes its shard with `--resume`: it keeps the rows already written and solves the
# rest. A resubmission takes N from FORCEGEN_OUTDIR and queues its own merge. A new split
# (another N) or another sweep needs another FORCEGEN_OUTDIR.
#
# Files: FORCEGEN_OUTDIR/shard-I.csv, sweep.csv, sweep-summary.md, and .slurm/ (the
# number of shards, each shard's last task and exit status, one marker per queued merge,
# the copy of this script the merge runs). Logs, in the submission directory:
# slurm-JOB_TASK.out per task and slurm-JOB_merge.out for the merge, JOB being the
# array's job id.
#
# Where jobs may not submit jobs, the merge cannot be queued (the task logs say so): once
# the array has ended, run it by hand, from the submission directory with the same
# environment: `bash docs/slurm-sweep.sh --merge JOB`.
#SBATCH --job-name=forcegen-sweep
#SBATCH --array=1-8
#SBATCH --cpus-per-task=2
#SBATCH --time=00:30:00
#SBATCH --requeue
#SBATCH --open-mode=append
#SBATCH --output=slurm-%A_%a.out
set -euo pipefail

absolute() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }

FORCEGEN=${FORCEGEN:-./target/release/forcegen}
case "$FORCEGEN" in */*) FORCEGEN=$(absolute "$FORCEGEN") ;; esac
SWEEP=$(absolute "${FORCEGEN_SWEEP:-scenarios/paris-2026/sweep.toml}")
OUTDIR=$(absolute "${FORCEGEN_OUTDIR:-forcegen-sweep}")
STATE=$OUTDIR/.slurm

say() { printf 'slurm-sweep: %s\n' "$*"; }
die() { printf 'slurm-sweep: error: %s\n' "$*" >&2; exit 2; }

command -v "$FORCEGEN" >/dev/null || die "no forcegen binary at $FORCEGEN (set FORCEGEN)"
[ -f "$SWEEP" ] || die "no sweep file at $SWEEP (set FORCEGEN_SWEEP)"

# The merge job: runs once, after every task of array job $1 has ended.
merge() {
  local array=$1 shards i code task last unfinished=0 failed_variants=0
  mkdir -p "$STATE"
  # Serialise with a merge of another array (a resubmission) ending at the same time.
  if command -v flock >/dev/null; then
    exec 9>>"$STATE/merge.lock"
    flock 9
  fi
  shards=$(cat "$STATE/shards")
  say "merge after array job $array: $shards shards of $SWEEP in $OUTDIR"
  local files=()
  for ((i = 1; i <= shards; i++)); do
    files+=("$OUTDIR/shard-$i.csv")
    last=$(cat "$STATE/shard-$i.task" 2>/dev/null || true)
    if [ -s "$STATE/shard-$i.exit" ]; then
      read -r code task <"$STATE/shard-$i.exit"
      case "$code" in
        0) ;;
        1)
          say "shard $i/$shards (task $task): finished; some variants failed to solve (status error)"
          failed_variants=$((failed_variants + 1))
          ;;
        130 | 143)
          say "shard $i/$shards (task $task): did not finish: stopped by a signal (cancelled, time limit or preempted), forcegen exited $code"
          unfinished=$((unfinished + 1))
          ;;
        *)
          say "shard $i/$shards (task $task): failed: forcegen exited $code (see slurm-$task.out)"
          unfinished=$((unfinished + 1))
          ;;
      esac
    elif [ -n "$last" ]; then
      local state
      state=$(scontrol -o show job "$last" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -n 1 || true)
      say "shard $i/$shards (task $last): did not finish: no exit status (killed, node failure or still running${state:+; now $state})"
      unfinished=$((unfinished + 1))
    else
      say "shard $i/$shards: never started"
      unfinished=$((unfinished + 1))
    fi
  done
  if [ "$unfinished" -gt 0 ]; then
    say "not merged: $unfinished of $shards shards did not finish. Resubmit them into the same FORCEGEN_OUTDIR (sbatch --array=I,J,... SCRIPT): they resume where they stopped and queue their own merge."
    exit 1
  fi
  "$FORCEGEN" merge "${files[@]}" --out "$OUTDIR/sweep.csv"
  # Resuming a complete file solves nothing: it only reads the rows and summarises them
  # (and exits 1 if some variant failed to solve).
  code=0
  "$FORCEGEN" -q sweep "$SWEEP" --resume --out "$OUTDIR/sweep.csv" --format markdown \
    >"$OUTDIR/sweep-summary.md.tmp" || code=$?
  mv -f "$OUTDIR/sweep-summary.md.tmp" "$OUTDIR/sweep-summary.md"
  say "wrote $OUTDIR/sweep.csv and $OUTDIR/sweep-summary.md"
  [ "$failed_variants" -eq 0 ] || say "$failed_variants shard(s) hold variants that failed to solve"
  exit "$code"
}

# Queues the merge of this array job, once: mkdir is atomic, so of all the tasks (and of
# a requeued task's runs) exactly one creates the marker and submits. --wrap reads no
# #SBATCH line of this file, so the merge gets neither the array nor the CPUs of a task.
queue_merge() {
  local marker=$STATE/merge-queued.$SLURM_ARRAY_JOB_ID job wrap
  mkdir "$marker" 2>/dev/null || return 0
  cp "$0" "$STATE/slurm-sweep.sh.$SLURM_JOB_ID"
  mv -f "$STATE/slurm-sweep.sh.$SLURM_JOB_ID" "$STATE/slurm-sweep.sh"
  wrap=$(printf 'FORCEGEN=%q FORCEGEN_SWEEP=%q FORCEGEN_OUTDIR=%q exec bash %q --merge %q' \
    "$FORCEGEN" "$SWEEP" "$OUTDIR" "$STATE/slurm-sweep.sh" "$SLURM_ARRAY_JOB_ID")
  local options=(
    --parsable --job-name=forcegen-merge
    --dependency="afterany:$SLURM_ARRAY_JOB_ID"
    --nodes=1 --ntasks=1 --cpus-per-task=1 --time=00:10:00
    --output="slurm-${SLURM_ARRAY_JOB_ID}_merge.out" --open-mode=append
  )
  [ -z "${SLURM_JOB_PARTITION:-}" ] || options+=(--partition="$SLURM_JOB_PARTITION")
  [ -z "${SLURM_JOB_ACCOUNT:-}" ] || options+=(--account="$SLURM_JOB_ACCOUNT")
  [ -z "${SLURM_JOB_QOS:-}" ] || options+=(--qos="$SLURM_JOB_QOS")
  if job=$(env -u SBATCH_ARRAY_INX sbatch "${options[@]}" --wrap="$wrap"); then
    printf '%s %s\n' "${job%%;*}" "$SLURM_ARRAY_JOB_ID"_"$SLURM_ARRAY_TASK_ID" >"$marker/job"
    say "queued the merge as job ${job%%;*}, after every task of array job $SLURM_ARRAY_JOB_ID"
  else
    rm -rf "$marker"
    say "could not queue the merge; the next task to start or end tries again" >&2
  fi
}

if [ "${1:-}" = "--merge" ]; then
  merge "${2:?--merge needs the array job id}"
fi

if [ -z "${SLURM_ARRAY_TASK_ID:-}" ] || [ -z "${SLURM_ARRAY_JOB_ID:-}" ]; then
  die "submit this script with sbatch as a job array (its #SBATCH --array line, or --array=1-N)"
fi
task=${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}
mkdir -p "$STATE"

# The number of shards: recorded by the first task of the first array submitted into
# OUTDIR (from --array=1-N), then read by every task, resubmissions included.
if [ ! -s "$STATE/shards" ]; then
  min=${SLURM_ARRAY_TASK_MIN:-1} max=${SLURM_ARRAY_TASK_MAX:-$SLURM_ARRAY_TASK_ID}
  if [ "$min" != 1 ] || [ "${SLURM_ARRAY_TASK_COUNT:-$max}" != "$max" ]; then
    die "the array must be 1-N, one task per shard (this one has tasks $min to $max, ${SLURM_ARRAY_TASK_COUNT:-?} of them); to resubmit tasks of an earlier split, use its FORCEGEN_OUTDIR"
  fi
  printf '%s\n' "$max" >"$STATE/shards.$SLURM_JOB_ID"
  # ln fails if another task was first: the file it made, whole, stays.
  ln "$STATE/shards.$SLURM_JOB_ID" "$STATE/shards" 2>/dev/null || [ -s "$STATE/shards" ] ||
    mv -f "$STATE/shards.$SLURM_JOB_ID" "$STATE/shards"
  rm -f "$STATE/shards.$SLURM_JOB_ID"
fi
shards=$(cat "$STATE/shards")
shard=$SLURM_ARRAY_TASK_ID
if [ "$shard" -lt 1 ] || [ "$shard" -gt "$shards" ]; then
  die "task $shard is not one of the $shards shards recorded in $STATE/shards (use another FORCEGEN_OUTDIR for a new split)"
fi

queue_merge

rm -f "$STATE/shard-$shard.exit"
printf '%s\n' "$task" >"$STATE/shard-$shard.task"
say "shard $shard/$shards of $SWEEP (task $task, restart ${SLURM_RESTART_COUNT:-0}, ${SLURM_CPUS_PER_TASK:-1} CPU(s) on ${SLURMD_NODENAME:-?})"

# Slurm sends SIGTERM to every process of the task on a cancel, a time limit or a requeue
# (SIGKILL follows after the cluster's KillWait): forcegen finishes the variants it is
# solving, writes their rows and exits 143. With a trap set, bash waits for it and records
# the exit status instead of dying at once.
trap 'say "got SIGTERM (a cancel, the time limit or a requeue)"' TERM
code=0
"$FORCEGEN" sweep "$SWEEP" --shard "$shard/$shards" --jobs "${SLURM_CPUS_PER_TASK:-1}" \
  --out "$OUTDIR/shard-$shard.csv" --resume || code=$?
printf '%s %s\n' "$code" "$task" >"$STATE/shard-$shard.exit"
queue_merge
say "shard $shard/$shards: forcegen exited $code"
exit "$code"
