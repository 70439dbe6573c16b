#!/usr/bin/env bash
# walkthrough.sh runs the seed's walkthrough on the dev stack (`make dev-up`):
# nginx writing logs to a PVC in namespace nginx-example is backed up with
# `cairn backup create`, the namespace is deleted, and `cairn restore create`
# brings it back.
#
# Pod volume backups by node agents arrive with issue 5/5; until then the
# volume's files are backed up and restored with `cairn repo` into the
# namespace's repository (<location>/restic/nginx-example, the layout the
# node agents will use, with the location's repository password).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
volume_dir() { # the kubelet folder of the nginx pod's PVC volume
  local pod uid node pv
  pod=$(kubectl -n nginx-example get pods -l app=nginx -o jsonpath='{.items[0].metadata.name}')
  uid=$(kubectl -n nginx-example get pod "$pod" -o jsonpath='{.metadata.uid}')
  node=$(kubectl -n nginx-example get pod "$pod" -o jsonpath='{.spec.nodeName}')
  pv=$(kubectl -n nginx-example get pvc nginx-logs -o jsonpath='{.spec.volumeName}')
  echo "$CAIRN_DEV_NODES_DIR/$node/pods/$uid/volumes/kubernetes.io~csi/$pv/mount"
}

step "Starting the dev stack: Temporal + UI, versitygw, etcd + kube-apiserver, 2 simulated nodes, cairn server"
.tools/bin/testbed up -dir .dev
# shellcheck disable=SC1091
. .dev/env
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

step "nginx writes its logs into the PVC (on the simulated node: $vol)"
for i in $(seq 1 200); do
  printf '127.0.0.1 - - [25/Nov/2026:06:%02d:%02d +0000] "GET /page-%d HTTP/1.1" 200 615 "-" "curl/8.5"\n' $((i / 60)) $((i % 60)) "$i"
done >"$vol/access.log"
echo "nginx ready" >"$vol/error.log"
ls -l "$vol"
before=$(cd "$vol" && sha256sum access.log error.log)

name=nginx-backup-$(date -u +%Y%m%d%H%M%S)
step "cairn backup create $name --selector app=nginx --wait"
cairn backup create "$name" --selector app=nginx --wait

step "Backing up the volume into the namespace's repository (cairn repo backup; node agents come with issue 5/5)"
CAIRN_REPO_PASSWORD=$(kubectl -n cairn get secret cairn-repo-credentials -o jsonpath='{.data.repository-password}' | base64 -d)
export CAIRN_REPO_PASSWORD
repo="s3:$CAIRN_S3_URL/$CAIRN_S3_BUCKET/restic/nginx-example"
cairn repo snapshots -r "$repo" >/dev/null 2>&1 || cairn repo init -r "$repo"
cairn repo backup -r "$repo" --tag "backup=$name,volume=nginx-logs,pvc=nginx-logs" "$vol"

step "cairn backup describe $name --details"
cairn backup describe "$name" --details

step "Deleting the namespace"
kubectl delete namespace nginx-example --wait=true --timeout=120s
kubectl get namespace nginx-example 2>&1 || true

step "cairn restore create --from-backup $name --wait"
cairn restore create --from-backup "$name" --wait
kubectl -n nginx-example rollout status deployment/nginx-deployment --timeout=120s
kubectl -n nginx-example get deployments,pods,pvc,services
newvol=$(volume_dir)

step "Restoring the volume's files into the new PVC (cairn repo restore)"
cairn repo restore -r "$repo" "latest:$vol" --target "$newvol" --tag "backup=$name"
ls -l "$newvol"
after=$(cd "$newvol" && sha256sum access.log error.log)
if [ "$before" = "$after" ]; then echo "the restored log files are byte-identical"; else echo "restored files differ" >&2; exit 1; fi

step "restic itself verifies the namespace's repository (restic check --read-data)"
RESTIC_PASSWORD=$CAIRN_REPO_PASSWORD restic -r "$repo" -o s3.region="$CAIRN_S3_REGION" -o s3.bucket-lookup=path \
  check --read-data

step "Done. The stack keeps running: '. .dev/env' to use it (Temporal UI: $CAIRN_TEMPORAL_UI), 'make dev-down' to stop it."
