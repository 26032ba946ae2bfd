#!/usr/bin/env bash
# Builds the upstream components of the test cluster from their Go modules, through the Go module
# proxy, into a cache directory, and prints that directory. Nothing prebuilt is downloaded.
#
#   kubernetes/       kube-apiserver, kube-controller-manager, kube-scheduler (k8s.io/kubernetes)
#   etcd/             etcd (go.etcd.io/etcd/server/v3)
#   kwok/             kwok, standing in for kubelets (sigs.k8s.io/kwok)
#   csi-provisioner/  csi-provisioner, csi-attacher, csi-resizer: the real CSI control-plane sidecars
#   csi-attacher/
#   csi-resizer/
#   csi-snapshotter/  snapshot-controller and csi-snapshotter (external-snapshotter v8), and the
#                     VolumeSnapshot CRDs of the same release
#   helm/             helm v4, which lints and renders the chart in deploy/helm
#
# Into the cache also go audit-crds/: the CRDs audit reads beyond Kubernetes' own (Velero's Schedule
# and Backup, the Prometheus Operator's PrometheusRule and ServiceMonitor), downloaded from their
# modules' releases. Neither Velero nor Prometheus runs; audit only reads these objects.
#
# Each folder is a small module whose go.mod pins one upstream release (`tool` directive). The cache
# key is a hash of every go.mod and go.sum here, so a binary is rebuilt only when a version changes.
# STSVOL_CLUSTER_CACHE overrides the cache root (default: ~/.cache/stsvol/cluster).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
modules=(kubernetes etcd kwok csi-provisioner csi-attacher csi-resizer csi-snapshotter helm)
inputs=(build.sh)
for m in "${modules[@]}"; do inputs+=("$m/go.mod" "$m/go.sum"); done
key=$(cd "$here" && cat "${inputs[@]}" | sha256sum | cut -c1-16)
root=${STSVOL_CLUSTER_CACHE:-$HOME/.cache/stsvol/cluster}
out="$root/$key"
if [[ -f "$out/.complete" ]]; then
  echo "$out"
  exit 0
fi
mkdir -p "$out/bin"
start=$(date +%s)

# The Kubernetes version is stamped into the binaries as a release build would be; kube-apiserver
# and the controllers report it, and skew checks compare it.
k8s_version=$(cd "$here/kubernetes" && go list -m -f '{{.Version}}' k8s.io/kubernetes)
[[ $k8s_version =~ ^v1\.([0-9]+)\. ]] || { echo "build.sh: cannot read the Kubernetes version from kubernetes/go.mod" >&2; exit 1; }
minor=${BASH_REMATCH[1]}
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

# helm reports the release it was built from, as its own release builds do.
helm_version=$(cd "$here/helm" && go list -m -f '{{.Version}}' helm.sh/helm/v4)

for m in "${modules[@]}"; do
  echo "building $m ..." >&2
  flags="-s -w"
  [[ $m == kubernetes ]] && flags=$ldflags
  [[ $m == helm ]] && flags+=" -X helm.sh/helm/v4/internal/version.version=$helm_version"
  (cd "$here/$m" && go build -trimpath -ldflags "$flags" -o "$out/bin/" tool) >&2
done
# etcd's main package is go.etcd.io/etcd/server/v3, so go names the binary "server".
mv "$out/bin/server" "$out/bin/etcd"
# The CSI spec the sidecars speak, for the test storage backend: the exact version csi-provisioner uses.
spec_dir=$(cd "$here/csi-provisioner" && go list -m -f '{{.Dir}}' github.com/container-storage-interface/spec)
cp "$spec_dir/csi.proto" "$out/csi.proto"
# kwok plays kubelets by Stage rules; these are upstream's own, from the same kwok release.
kwok_dir=$(cd "$here/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
mkdir -p "$out/kwok-stages"
cp "$kwok_dir"/kustomize/stage/node/fast/node-initialize.yaml "$kwok_dir"/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
   "$kwok_dir"/kustomize/stage/pod/fast/pod-ready.yaml "$kwok_dir"/kustomize/stage/pod/fast/pod-complete.yaml \
   "$kwok_dir"/kustomize/stage/pod/fast/pod-delete.yaml "$out/kwok-stages/"
# The VolumeSnapshot CRDs from the client module of the same external-snapshotter release.
crd_dir=$(cd "$here/csi-snapshotter" && go list -m -f '{{.Dir}}' github.com/kubernetes-csi/external-snapshotter/client/v8)
mkdir -p "$out/snapshot-crds"
cp "$crd_dir"/config/crd/snapshot.storage.k8s.io_*.yaml "$out/snapshot-crds/"
# Velero and the Prometheus Operator: the CRDs each release ships, fetched through the module proxy.
velero=github.com/vmware-tanzu/velero@v1.18.3
prometheus_operator=github.com/prometheus-operator/prometheus-operator@v0.85.0
module_dir() { (cd "$out" && GOFLAGS=-mod=mod go mod download -json "$1" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p'); }
velero_dir=$(module_dir "$velero")
prometheus_operator_dir=$(module_dir "$prometheus_operator")
[[ -n $velero_dir && -n $prometheus_operator_dir ]] || { echo "build.sh: cannot download $velero or $prometheus_operator" >&2; exit 1; }
mkdir -p "$out/audit-crds"
cp "$velero_dir"/config/crd/v1/bases/velero.io_{schedules,backups}.yaml \
   "$prometheus_operator_dir"/example/prometheus-operator-crd/monitoring.coreos.com_{prometheusrules,servicemonitors}.yaml "$out/audit-crds/"
echo "$k8s_version" > "$out/kubernetes-version"
echo "built in $(( $(date +%s) - start ))s" > "$out/build-time"
touch "$out/.complete"
echo "$out"
