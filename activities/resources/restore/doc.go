// Package restore restores the API objects of a backup snapshot with
// Velero's semantics.
//
// Resources are restored in Velero's default priority order (v1.18.3:
// CRDs, namespaces, storage classes, …, services), then every other resource
// alphabetically, then the low-priority list; a resource Velero never
// restores (nodes, events, …) is skipped. Each resource's objects are applied
// by a bounded pool of workers; the next resource starts when the previous
// one is done, so the order holds and the API server's priority and fairness
// sees a steady, bounded load. Custom resources wait until their CRD is
// Established.
//
// Objects are transformed as Velero's restore item actions do: server-set
// metadata and status stripped, namespaces mapped, Service cluster IPs reset
// (except for headless Services) and auto-assigned node ports dropped, pods
// freed of their node and token volumes, PV and PVC binding information reset
// and claims whose data comes from a pod volume backup left to be provisioned
// anew. Per-object problems go into the Results; the phase is Completed,
// PartiallyFailed or Failed with Velero's meaning.
package restore
