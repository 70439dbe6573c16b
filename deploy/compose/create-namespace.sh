#!/bin/sh
# create-namespace.sh creates Cairn's Temporal namespace and registers the
# custom search attributes Cairn's workflows set, unless they exist.
#   TEMPORAL_ADDRESS          the frontend, host:port
#   CAIRN_TEMPORAL_NAMESPACE  the namespace
#   CAIRN_SEARCH_ATTRIBUTES   Name=Type,Name=Type,...
set -eu
addr=$TEMPORAL_ADDRESS
ns=$CAIRN_TEMPORAL_NAMESPACE
for i in $(seq 1 60); do
  temporal operator cluster health --address "$addr" >/dev/null 2>&1 && break
  echo "waiting for Temporal at $addr ($i/60)"
  sleep 2
done
if ! temporal operator namespace describe --address "$addr" -n "$ns" >/dev/null 2>&1; then
  temporal operator namespace create --address "$addr" -n "$ns"
fi
existing=$(temporal operator search-attribute list --address "$addr" -n "$ns")
for attr in $(echo "$CAIRN_SEARCH_ATTRIBUTES" | tr ',' ' '); do
  name=${attr%%=*}
  if echo "$existing" | grep -qw "$name"; then
    continue
  fi
  temporal operator search-attribute create --address "$addr" -n "$ns" --name "$name" --type "${attr#*=}"
done
echo "namespace $ns is ready"
