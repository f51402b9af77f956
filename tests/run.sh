#!/usr/bin/env bash
# Runs every test of the solution: routing-core unit and property tests, grain tests on a TestCluster,
# and end-to-end tests through a real gRPC client against a real host process.
set -euo pipefail
cd "$(dirname "$0")/.."

configuration="${CONFIGURATION:-Release}"
dotnet build Omnichannel.Routing.sln -c "$configuration" -warnaserror
dotnet test Omnichannel.Routing.sln -c "$configuration" --no-build --logger "console;verbosity=normal" "$@"
