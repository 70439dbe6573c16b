#!/usr/bin/env bash
# walkthrough.sh runs the seed's walkthrough on the dev stack (`make dev-up`):
# nginx writing logs to a PVC in namespace nginx-example, the pod annotated
# for file-system backup of that volume, is backed up with
# `cairn backup create` (the node agent of the pod's node backs the volume up
# into the namespace's repository, <location>/restic/nginx-example), the
# namespace is deleted, and `cairn restore create` brings back every object
# and the volume's files; restic itself then checks the repository.
#
# CAIRN_DEV_DIR (default .dev), CAIRN_TESTBED (default .tools/bin/testbed)
# and CAIRN_BIN (default bin/cairn) let a test run it on a stack of its own.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dev=${CAIRN_DEV_DIR:-.dev}
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
volume_dir() { # the kubelet folder of the nginx pod's PVC volume on its node, whatever the volume's plugin
  local pod uid node pv
  pod=$(kubectl -n nginx-example get pods -l app=nginx -o jsonpath='{.items[0].metadata.name}')
  uid=$(kubectl -n nginx-example get pod "$pod" -o jsonpath='{.metadata.uid}')
  node=$(kubectl -n nginx-example get pod "$pod" -o jsonpath='{.spec.nodeName}')
  pv=$(kubectl -n nginx-example get pvc nginx-logs -o jsonpath='{.spec.volumeName}')
  local d
  for d in "$CAIRN_DEV_NODES_DIR/$node/pods/$uid/volumes/"*/"$pv"; do
    if [ -d "$d/mount" ]; then echo "$d/mount"; else echo "$d"; fi
    return
  done
}
in_nginx() { kubectl -n nginx-example exec deploy/nginx-deployment -c nginx -- sh -c "$1"; }
sums="cd /var/log/nginx && sha256sum access.log error.log big.log"

step "Starting the dev stack: Temporal + UI, versitygw, etcd + kube-apiserver, 2 nodes (real kubelets on containerd unless CAIRN_DEV_SIMULATED_NODES=1), cairn server, a cairn node-agent per node"
"${CAIRN_TESTBED:-.tools/bin/testbed}" up -dir "$dev"
# shellcheck disable=SC1090
. "$dev/env"
PATH="$(dirname "${CAIRN_BIN:-$root/bin/cairn}"):$PATH" # the cairn the stack runs
kubectl get nodes
cairn backup-location get

step "Deploying the seed's nginx application (deploy/examples/nginx-with-pv.yaml)"
kubectl delete namespace nginx-example --ignore-not-found --wait=true --timeout=120s >/dev/null
for _ in $(seq 1 50); do # the namespace's service account appears a moment after the namespace
  kubectl apply -f deploy/examples/nginx-with-pv.yaml >/dev/null 2>&1 && break
  sleep 0.2
done
kubectl apply -f deploy/examples/nginx-with-pv.yaml
kubectl -n nginx-example rollout status deployment/nginx-deployment --timeout=120s
vol=$(volume_dir)

if [ "${CAIRN_DEV_REAL_NODES:-}" = 1 ]; then
  step "nginx writes its logs into the PVC from inside its container (on the node: $vol)"
  kubectl -n cairn get daemonset cairn-node-agent -o wide
  in_nginx 'for i in $(seq 1 200); do wget -q -O /dev/null http://127.0.0.1/ || exit 1; done'
  in_nginx 'head -c 120000000 /dev/urandom | base64 > /var/log/nginx/big.log' # one log over 100 MB, as in the seed's scale
  in_nginx 'ls -l /var/log/nginx'
  before=$(in_nginx "$sums" | grep -v error.log)
else
  step "nginx writes its logs into the PVC (on the simulated node: $vol)"
  for i in $(seq 1 200); do
    printf '127.0.0.1 - - [25/Nov/2026:06:%02d:%02d +0000] "GET /page-%d HTTP/1.1" 200 615 "-" "curl/8.5"\n' $((i / 60)) $((i % 60)) "$i"
  done >"$vol/access.log"
  echo "nginx ready" >"$vol/error.log"
  head -c 120000000 /dev/urandom | base64 >"$vol/big.log" # one log over 100 MB, as in the seed's scale
  ls -l "$vol"
  before=$(cd "$vol" && sha256sum access.log error.log big.log)
fi

name=nginx-backup-$(date -u +%Y%m%d%H%M%S)
step "cairn backup create $name --selector app=nginx --wait"
cairn backup create "$name" --selector app=nginx --wait

step "cairn backup describe $name --details"
cairn backup describe "$name" --details

step "restic lists the volume's snapshot in the namespace's repository, with Cairn's tags"
RESTIC_PASSWORD=$(kubectl -n cairn get secret cairn-repo-credentials -o jsonpath='{.data.repository-password}' | base64 -d)
export RESTIC_PASSWORD
repo="s3:$CAIRN_S3_URL/$CAIRN_S3_BUCKET/restic/nginx-example"
restic -r "$repo" -o s3.region="$CAIRN_S3_REGION" -o s3.bucket-lookup=path snapshots --tag "backup=$name"

step "Deleting the namespace"
kubectl delete namespace nginx-example --wait=true --timeout=120s
kubectl get namespace nginx-example 2>&1 || true

restore=$name-restore
step "cairn restore create $restore --from-backup $name --wait"
cairn restore create "$restore" --from-backup "$name" --wait
kubectl -n nginx-example rollout status deployment/nginx-deployment --timeout=120s
kubectl -n nginx-example get deployments,pods,pvc,services
cairn restore describe "$restore"
newvol=$(volume_dir)

if [ "${CAIRN_DEV_REAL_NODES:-}" = 1 ]; then
  step "The restore-wait init container held nginx until the node agent had written the files ($newvol)"
  kubectl -n nginx-example get pods -l app=nginx -o jsonpath='{range .items[0].status.initContainerStatuses[*]}{.name}: {.image}, exit {.state.terminated.exitCode}, {.state.terminated.startedAt} to {.state.terminated.finishedAt}{"\n"}{end}'
  step "kubectl exec reads the restored logs inside the restored nginx container"
  in_nginx 'ls -l /var/log/nginx'
  after=$(in_nginx "$sums" | grep -v error.log) # nginx appends to error.log as it starts
else
  step "The node agent wrote the volume's files into the new PVC ($newvol)"
  ls -l "$newvol"
  after=$(cd "$newvol" && sha256sum access.log error.log big.log)
fi
if [ "$before" = "$after" ]; then echo "the restored log files are byte-identical"; else echo "restored files differ" >&2; exit 1; fi

step "restic itself verifies the namespace's repository (restic check --read-data)"
restic -r "$repo" -o s3.region="$CAIRN_S3_REGION" -o s3.bucket-lookup=path check --read-data

step "Done. The stack keeps running: '. $dev/env' to use it (Temporal UI: $CAIRN_TEMPORAL_UI), 'make dev-down' to stop it."
