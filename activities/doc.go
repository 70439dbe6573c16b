// Package activities holds Cairn's Temporal activities: structs that hold
// their clients, whose methods list cluster resources, move volume data and
// write snapshot manifests. Their payloads carry keys, counts and hashes only.
package activities
