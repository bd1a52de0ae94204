#!/usr/bin/env bash
# Builds EnergyHub and runs every test project in the solution.
# The last line is the sum over all projects: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

configuration="${CONFIGURATION:-Release}"
results="$(mktemp -d)"
postgres="$(mktemp -d)"
trap 'tests/postgres-cluster.sh stop "$postgres" 2>/dev/null; rm -rf "$results" "$postgres"' EXIT

echo "== Building EnergyHub.sln ($configuration)"
if ! dotnet build EnergyHub.sln -c "$configuration" -nologo -v quiet; then
  echo "The build failed; see the errors above."
  echo "0 passed, 1 failed"
  exit 1
fi

if [ -z "${ENERGYHUB_TEST_POSTGRES:-}" ]; then
  echo "== Starting a throwaway PostgreSQL cluster for the journal tests"
  if ENERGYHUB_TEST_POSTGRES="$(tests/postgres-cluster.sh start "$postgres")"; then
    export ENERGYHUB_TEST_POSTGRES
  fi
fi

echo "== Running every test project"
# Three test projects at a time (-m:3; most tests wait on processes, peers and browsers, not on the CPU), the longest
# (EnergyHub.Tests, EnergyHub.Reliability.Tests) first by their place in the solution.
# A test that hangs is stopped after 8 minutes and named (blame), instead of holding the whole run until CI gives up.
dotnet test EnergyHub.sln -c "$configuration" --no-build -nologo -m:3 --logger "trx" --results-directory "$results" --blame-hang --blame-hang-timeout 8m --blame-hang-dump-type none
test_status=$?

projects=$(grep -c 'Tests\.csproj"' EnergyHub.sln)
reports=$(find "$results" -name '*.trx' | wc -l)
counter() { grep -ho "$1=\"[0-9]*\"" "$results"/*.trx 2>/dev/null | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}'; }
passed=$(counter passed)
failed=$(( $(counter failed) + $(counter error) + $(counter timeout) + $(counter aborted) ))
skipped=$(( $(counter total) - $(counter executed) ))
if [ "$reports" -lt "$projects" ]; then
  echo "Only $reports of $projects test projects wrote results; counting each missing one as a failure."
  failed=$(( failed + projects - reports ))
fi
if [ "$test_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
