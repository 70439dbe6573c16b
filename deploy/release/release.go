// Package release holds the version of this Cairn release and the image
// ref it ships as. Everything that names the version follows from here:
// the Makefile reads Version, and deploy/ pins Image (a test in this
// package checks that every copy agrees).
package release

// Version is this release. `make build` stamps it into the binaries and
// `make image` tags the image with it; change it here only.
const Version = "v0.2.0-dev"

// Repository is where Cairn's image is published.
const Repository = "ghcr.io/cairn-backup/cairn"

// Image is Cairn's image of this release: the controller, the node agents
// and the restore-wait init container all run it.
const Image = Repository + ":" + Version
