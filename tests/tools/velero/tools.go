//go:build tools

// Package velero pins the velero command that the test bed builds.
package velero

import _ "github.com/vmware-tanzu/velero/cmd/velero"
