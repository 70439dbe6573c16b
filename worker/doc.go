// Package worker wires Cairn's processes: the controller worker, the node
// agent and the embedded development server (package worker/devserver).
package worker
