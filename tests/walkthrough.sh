#!/usr/bin/env bash
# walkthrough.sh runs the seed's walkthrough on the dev stack: it brings the
# stack up, deploys nginx with a PVC holding log files, and shows where the
# volume's data lives on the simulated node.
#
# Until Cairn's backup and restore workflows land (issues 4/5 and 5/5), the
# volume is backed up and restored with `cairn repo` directly, and the
# namespace is re-created from its manifest rather than restored.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Starting the dev stack (Temporal, versitygw, etcd + kube-apiserver, 2 simulated nodes)"
.tools/bin/testbed up -dir .dev
# shellcheck disable=SC1091
. .dev/env

step "kubectl get nodes"
kubectl get nodes -o wide

step "Deploying the seed's nginx application (deploy/examples/nginx-with-pv.yaml)"
for i in $(seq 1 50); do
  kubectl apply -f deploy/examples/nginx-with-pv.yaml >/dev/null 2>&1 && break
  sleep 0.2 # the namespace's default service account appears a moment after the namespace
done
kubectl apply -f deploy/examples/nginx-with-pv.yaml
kubectl -n nginx-example rollout status deployment/nginx-deployment --timeout=120s
kubectl -n nginx-example get pods,pvc,svc

pod=$(kubectl -n nginx-example get pods -l app=nginx -o jsonpath='{.items[0].metadata.name}')
uid=$(kubectl -n nginx-example get pod "$pod" -o jsonpath='{.metadata.uid}')
node=$(kubectl -n nginx-example get pod "$pod" -o jsonpath='{.spec.nodeName}')
pv=$(kubectl -n nginx-example get pvc nginx-logs -o jsonpath='{.spec.volumeName}')
vol="$CAIRN_DEV_NODES_DIR/$node/pods/$uid/volumes/kubernetes.io~csi/$pv/mount"

step "Writing nginx log files into the volume at $vol"
for i in 1 2 3; do
  printf '127.0.0.1 - - [%s] "GET /page-%d HTTP/1.1" 200 615\n' "$(date -u +%d/%b/%Y:%H:%M:%S)" "$i" >>"$vol/access.log"
done
echo "nginx ready" >"$vol/error.log"
ls -l "$vol"

step "Backing up the volume into a restic repository on the S3 bucket (cairn repo backup)"
export CAIRN_REPO_PASSWORD=${CAIRN_REPO_PASSWORD:-walkthrough-password}
repo="s3:$CAIRN_S3_URL/$CAIRN_S3_BUCKET/walkthrough/restic/nginx-example"
bin/cairn repo snapshots -r "$repo" >/dev/null 2>&1 || bin/cairn repo init -r "$repo"
bin/cairn repo backup -r "$repo" --tag volume=nginx-logs "$vol"
bin/cairn repo snapshots -r "$repo"
before=$(cd "$vol" && sha256sum access.log error.log)

step "Deleting the namespace (the PVC's volume goes with it)"
kubectl delete namespace nginx-example --wait=true --timeout=120s

step "Re-creating the application; its new PVC starts empty"
for i in $(seq 1 50); do
  kubectl apply -f deploy/examples/nginx-with-pv.yaml >/dev/null 2>&1 && break
  sleep 0.2
done
kubectl -n nginx-example rollout status deployment/nginx-deployment --timeout=120s
pod=$(kubectl -n nginx-example get pods -l app=nginx -o jsonpath='{.items[0].metadata.name}')
uid=$(kubectl -n nginx-example get pod "$pod" -o jsonpath='{.metadata.uid}')
node=$(kubectl -n nginx-example get pod "$pod" -o jsonpath='{.spec.nodeName}')
pv=$(kubectl -n nginx-example get pvc nginx-logs -o jsonpath='{.spec.volumeName}')
newvol="$CAIRN_DEV_NODES_DIR/$node/pods/$uid/volumes/kubernetes.io~csi/$pv/mount"
ls -l "$newvol"

step "Restoring the volume's files into the new volume (cairn repo restore latest:<path>)"
bin/cairn repo restore -r "$repo" "latest:$vol" --target "$newvol"
ls -l "$newvol"
after=$(cd "$newvol" && sha256sum access.log error.log)
[ "$before" = "$after" ] && echo "the restored log files are byte-identical" || { echo "restored files differ"; exit 1; }

step "restic itself verifies the repository (restic check --read-data)"
AWS_DEFAULT_REGION=$CAIRN_S3_REGION RESTIC_PASSWORD=$CAIRN_REPO_PASSWORD .tools/bin/restic -r "$repo" \
  -o s3.region="$CAIRN_S3_REGION" -o s3.bucket-lookup=path check --read-data

step "Done. The stack keeps running: '. .dev/env' to use it, 'make dev-down' to stop it."
