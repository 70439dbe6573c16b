// Package kubesim stands in for the kubelets and the storage provisioner of a
// cluster that has none: the test bed runs a real kube-apiserver, controller
// manager and scheduler, and kubesim keeps its simulated Nodes Ready, marks the
// pods the scheduler binds to them Running and Ready, lays out each pod's
// volume folders the way a kubelet does, and binds every PVC to a new PV.
//
// A pod's folders live under <NodesDir>/<node>/pods/<pod-uid>/volumes/:
// kubernetes.io~csi/<pv-name>/mount for PVCs and kubernetes.io~empty-dir/<name>
// for emptyDir volumes. A PV's contents outlive its pods: when a pod goes away
// its PV folders move to <NodesDir>/.pv/<pv-name> and come back when another
// pod mounts that PV.
package kubesim
