#!/usr/bin/env bash
# install.sh puts the test bed's pinned tools into .tools/bin (git-ignored).
# It is idempotent: a tool whose stamp matches its pinned version is skipped,
# so a second run costs seconds. Usage: tests/tools/install.sh [tool...]
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
tools="$root/.tools"
bin="$tools/bin"
stamps="$tools/stamps"
mkdir -p "$bin" "$stamps"

VERSITYGW_VERSION=v1.8.0
RESTIC_VERSION=v0.18.1
KUBE_VERSION=v1.34.2
KUBE_STAMP=$KUBE_VERSION+kubectl
GOTESTSUM_VERSION=v1.13.0
# helmrender is built from tests/tools/helm, which pins helm.sh/helm/v4.
HELM_VERSION=v4.3.2
# promqlcheck is built from tests/tools/promql, which pins github.com/prometheus/prometheus.
PROMETHEUS_VERSION=v0.316.0
# velero is built from tests/tools/velero, which pins github.com/vmware-tanzu/velero.
VELERO_VERSION=v1.18.3
# controller-gen is built from tests/tools/controllergen, which pins sigs.k8s.io/controller-tools.
CONTROLLER_TOOLS_VERSION=v0.23.0
# Debian 12's packages for the test bed's real nodes, pinned by version.
NODE_PACKAGES="containerd=1.6.20~ds1-1+deb12u3 runc=1.1.5+ds1-1+deb12u1 containernetworking-plugins=1.1.1+ds1-3+b5 busybox-static=1:1.35.0-4+deb12u1+b1 iptables iproute2"
NODE_STAMP=$KUBE_VERSION+deb12u3

log() { printf '[tools] %s\n' "$*" >&2; }

# stamped NAME VERSION: true when NAME is already installed at VERSION.
stamped() { [ -f "$stamps/$1" ] && [ "$(cat "$stamps/$1")" = "$2" ]; }
stamp() { printf '%s' "$2" >"$stamps/$1"; }

# system_etcd prints the absolute path of the system's etcd: the first one on
# PATH that is not (and does not resolve into) .tools/bin, so a PATH with
# .tools/bin first (.dev/env sourced) never makes the link point at itself.
system_etcd() {
  local dir cand real
  local IFS=:
  for dir in $PATH /usr/bin /usr/local/bin /usr/sbin; do
    cand="$dir/etcd"
    [ -x "$cand" ] && [ ! -d "$cand" ] || continue
    real=$(readlink -f "$cand") || continue
    case "$real" in "$bin"/* | "$tools"/*) continue ;; esac
    printf '%s' "$real"
    return 0
  done
  return 1
}

# link_etcd points .tools/bin/etcd at the system binary by its absolute path.
link_etcd() {
  local real
  real=$(system_etcd) || return 1
  [ "$(readlink "$bin/etcd" 2>/dev/null)" = "$real" ] && return 0
  rm -f "$bin/etcd"
  ln -s "$real" "$bin/etcd"
}

install_etcd() {
  link_etcd && return
  rm -f "$bin/etcd" # a dangling or self link from an earlier install
  log "etcd: installing Debian's etcd-server"
  if [ "$(id -u)" -ne 0 ]; then
    log "etcd is missing and installing it needs root: run 'sudo apt-get install etcd-server'"
    exit 1
  fi
  apt-get update -qq
  # policy-rc.d 101 keeps the package from starting a system etcd where an
  # init system would; the test bed runs its own etcd on free ports.
  local policy=/usr/sbin/policy-rc.d made_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null
  [ -z "$made_policy" ] || rm -f "$policy"
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now etcd >/dev/null 2>&1 || true; fi
  link_etcd || { log "etcd-server is installed but no etcd binary was found on PATH"; exit 1; }
}

install_versitygw() {
  stamped versitygw "$VERSITYGW_VERSION" && [ -x "$bin/versitygw" ] && return
  log "versitygw $VERSITYGW_VERSION: building"
  GOBIN="$bin" GOFLAGS= go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
  stamp versitygw "$VERSITYGW_VERSION"
}

install_restic() {
  stamped restic "$RESTIC_VERSION" && [ -x "$bin/restic" ] && return
  log "restic $RESTIC_VERSION: building"
  GOBIN="$bin" GOFLAGS= go install "github.com/restic/restic/cmd/restic@$RESTIC_VERSION"
  stamp restic "$RESTIC_VERSION"
}

install_gotestsum() {
  stamped gotestsum "$GOTESTSUM_VERSION" && [ -x "$bin/gotestsum" ] && return
  log "gotestsum $GOTESTSUM_VERSION: building"
  GOBIN="$bin" GOFLAGS= go install "gotest.tools/gotestsum@$GOTESTSUM_VERSION"
  stamp gotestsum "$GOTESTSUM_VERSION"
}

# install_module_tool builds command <name> of the tools module in
# tests/tools/<dir>, whose own go.mod pins <pin>; its stamp carries a hash
# of the module's go.mod and the command's source, so an edit rebuilds it.
install_module_tool() {
  local name=$1 dir=$2 pin=$3 src="$root/tests/tools/$2" version
  version="$pin+$(cat "$src/go.mod" "$src/cmd/$name"/*.go | sha256sum | cut -c1-12)"
  stamped "$name" "$version" && [ -x "$bin/$name" ] && return
  log "$name ($pin): building"
  (cd "$src" && GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o "$bin/" "./cmd/$name")
  stamp "$name" "$version"
}

# helmrender renders deploy/helm/cairn with Helm's library.
install_helmrender() { install_module_tool helmrender helm "helm $HELM_VERSION"; }

# promqlcheck parses the PromQL of deploy/monitoring with Prometheus's parser.
install_promqlcheck() { install_module_tool promqlcheck promql "prometheus $PROMETHEUS_VERSION"; }

# velero is Velero's own CLI (and server), unchanged, for the tests that
# drive Cairn with it; it reports VELERO_VERSION as its version.
install_velero() {
  local src="$root/tests/tools/velero" version
  version="$VELERO_VERSION+$(cat "$src/go.mod" | sha256sum | cut -c1-12)"
  stamped velero "$version" && [ -x "$bin/velero" ] && return
  log "velero $VELERO_VERSION: building (about 4 minutes cold)"
  (cd "$src" && GOFLAGS=-mod=mod go build -trimpath \
    -ldflags "-s -w -X github.com/vmware-tanzu/velero/pkg/buildinfo.Version=$VELERO_VERSION" \
    -o "$bin/" github.com/vmware-tanzu/velero/cmd/velero)
  stamp velero "$version"
}

# controller-gen generates starter/velerov1's deep copies and the velero.io
# CRDs (make crds); its stamp carries a hash of the tools module's go.mod and
# go.sum, so a new pin rebuilds it.
install_controllergen() {
  local src="$root/tests/tools/controllergen" version
  version="$CONTROLLER_TOOLS_VERSION+$(cat "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-12)"
  stamped controllergen "$version" && [ -x "$bin/controller-gen" ] && return
  log "controller-gen $CONTROLLER_TOOLS_VERSION: building"
  (cd "$src" && GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o "$bin/" sigs.k8s.io/controller-tools/cmd/controller-gen)
  stamp controllergen "$version"
}

# kube_ldflags stamps the kube binaries with their version.
kube_ldflags() {
  local minor=${KUBE_VERSION#v1.}
  minor=${minor%%.*}
  local v ldflags=""
  for v in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags="$ldflags -X $v.gitVersion=$KUBE_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$minor"
    ldflags="$ldflags -X $v.gitTreeState=clean -X $v.buildDate=1970-01-01T00:00:00Z"
  done
  printf '%s' "$ldflags"
}

install_kube() {
  stamped kube "$KUBE_STAMP" && [ -x "$bin/kube-apiserver" ] && [ -x "$bin/kube-controller-manager" ] &&
    [ -x "$bin/kube-scheduler" ] && [ -x "$bin/kubectl" ] && return
  log "kube-apiserver, kube-controller-manager, kube-scheduler, kubectl $KUBE_VERSION: building (about 6 minutes cold)"
  (cd "$root/tests/tools/kube" && GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w $(kube_ldflags)" -o "$bin/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
  stamp kube "$KUBE_STAMP"
}

# node: what a real node of the test bed runs: Debian's containerd, runc,
# CNI plugins and busybox, and the kubelet from the tools module.
install_node() {
  stamped node "$NODE_STAMP" && [ -x "$bin/kubelet" ] && command -v containerd >/dev/null && return
  local pkg missing=()
  for pkg in $NODE_PACKAGES; do
    dpkg -s "${pkg%%=*}" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "node: installing Debian's ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
      log "installing them needs root: run 'sudo apt-get install ${missing[*]}'"
      exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # The packages start no service here (no systemd); stop one where they do.
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now containerd >/dev/null 2>&1 || true; fi
  log "kubelet $KUBE_VERSION: building (about 8 minutes cold)"
  (cd "$root/tests/tools/kube" && GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w $(kube_ldflags)" -o "$bin/" \
    k8s.io/kubernetes/cmd/kubelet)
  stamp node "$NODE_STAMP"
}

want=("$@")
[ ${#want[@]} -gt 0 ] || want=(etcd gotestsum versitygw restic helmrender promqlcheck controllergen velero kube node)
for t in "${want[@]}"; do
  "install_$t"
done
log "ready in $bin"
