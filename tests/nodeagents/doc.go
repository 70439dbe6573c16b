// Package nodeagents runs Cairn's node agents on a test bed's real nodes as
// deploy/ describes them: the ServiceAccount, RBAC and DaemonSet of
// deploy/node-agent.yaml and the Temporal ConfigMap of
// deploy/temporal-config.yaml, applied to the bed's apiserver with the few
// changes a bed needs and a cluster does not (see Adapt).
package nodeagents
