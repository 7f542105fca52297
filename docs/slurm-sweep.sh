#!/usr/bin/env bash
# Split the flagship sweep over a Slurm job array, then merge the shards.
#
#   sbatch docs/slurm-sweep.sh                     # 8 shards, then the merge
#
# Each array task solves one stable shard (`--shard I/N`, by a hash of the variant id)
# with all the cores Slurm gives it; the merge job runs after every task has finished
# and refuses missing or doubled variants.
#SBATCH --job-name=forcegen-sweep
#SBATCH --array=1-8
#SBATCH --cpus-per-task=4
#SBATCH --time=00:30:00
#SBATCH --output=slurm-%A_%a.out
set -euo pipefail

SHARDS=8
SWEEP=scenarios/paris-2026/sweep.toml
FORCEGEN=${FORCEGEN:-./target/release/forcegen}

if [ "${1:-}" = "--merge" ]; then
  "$FORCEGEN" merge shard-*.csv --out sweep.csv
  "$FORCEGEN" sweep "$SWEEP" --resume --out sweep.csv --format markdown > sweep-summary.md
  exit 0
fi

# The first task queues the merge to run once the whole array has finished.
if [ "${SLURM_ARRAY_TASK_ID}" = "1" ]; then
  sbatch --dependency="afterany:${SLURM_ARRAY_JOB_ID}" --job-name=forcegen-merge \
    --output=slurm-merge-%j.out "$0" --merge
fi

# --resume makes a requeued task carry on where it stopped.
"$FORCEGEN" sweep "$SWEEP" \
  --shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}" \
  --jobs "${SLURM_CPUS_PER_TASK:-1}" \
  --out "shard-${SLURM_ARRAY_TASK_ID}.csv" --resume
