//go:build tools

// Package controllergen pins the controller-gen command that `make crds` runs.
package controllergen

import _ "sigs.k8s.io/controller-tools/cmd/controller-gen"
