#!/usr/bin/env bash
# Pins the upstream Kubernetes release the cluster tests build, e.g. `set-kubernetes-version.sh v1.37.1`.
# k8s.io/kubernetes points its staging modules (k8s.io/api, k8s.io/client-go, ...) at ./staging, which
# only works inside its own repository; a module that depends on it must replace each of them with the
# published v0.X.Y of the same release. This script rewrites go.mod so the two never disagree; the
# release then lives in one place (the require line) and build.sh reads it from there.
set -euo pipefail
version=${1:?usage: set-kubernetes-version.sh vMAJOR.MINOR.PATCH}
[[ $version =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || { echo "set-kubernetes-version.sh: $version is not vMAJOR.MINOR.PATCH" >&2; exit 2; }
staging="v0.${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
cd "$(dirname "$0")/kubernetes"
go mod download -json "k8s.io/kubernetes@$version" >/dev/null
upstream_mod=$(go mod download -json "k8s.io/kubernetes@$version" | sed -n 's/^\s*"GoMod": "\(.*\)",$/\1/p')
# Drop every existing replace, then add one per staging module of that release.
go mod edit -json | sed -n 's/^\s*"Path": "\(k8s.io\/[^"]*\)"$/\1/p' | sort -u | while read -r m; do
  go mod edit -dropreplace="$m" 2>/dev/null || true
done
go mod edit -require="k8s.io/kubernetes@$version"
grep -E '^\s*k8s.io/[^ ]+ => \./staging/' "$upstream_mod" | awk '{print $1}' | while read -r m; do
  go mod edit -replace="$m=$m@$staging"
done
go mod tidy
echo "pinned k8s.io/kubernetes $version (staging modules $staging)"
