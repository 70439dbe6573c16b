// Package velerov1 is the velero.io/v1 API in Go types that Cairn owns.
//
// Cairn stands in for Velero's server, so the stock velero CLI and objects
// that a Velero installation wrote must read and write through these types
// unchanged: every kind, type name, field name, JSON key and omitempty or
// pointer choice matches Velero v1.18.3's API exactly. The comments are
// Cairn's own and say what a field means to the operator who sets it.
//
// The CRDs in deploy/crds and the chart's crds/ folder are generated from
// these types, as is zz_generated.deepcopy.go: run `make crds` after an edit.
//
// +kubebuilder:object:generate=true
// +groupName=velero.io
// +versionName=v1
package velerov1
