package restore

import (
	"context"
	"fmt"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/cairn-backup/cairn/activities/resources/filter"
)

var crdGVR = filter.CustomResourceDefinitions.WithVersion("v1")

// waitForCRD waits, up to CRDTimeout, until the CRD that defines res (if
// one does) is Established. A resource without a CRD (built-in or
// aggregated) returns at once.
func (r *restorer) waitForCRD(ctx context.Context, res filter.Resource) error {
	name := res.Name()
	var last string
	err := wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, r.opts.CRDTimeout, true, func(ctx context.Context) (bool, error) {
		crd, err := r.opts.Client.Resource(crdGVR).Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			if _, backedUp := r.plan.cat.Lookup(res.GroupResource()); !backedUp || !r.crdInBackup(name) {
				return true, nil // not a custom resource
			}
			last = "it does not exist"
			return false, nil
		}
		if err != nil {
			// Keep the server's last answer over a failed request: near the
			// deadline the client's rate limiter refuses to wait.
			if last == "" && ctx.Err() == nil {
				last = err.Error()
			}
			return false, nil
		}
		if established(crd) {
			return true, nil
		}
		last = "it is not Established"
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("waiting for CustomResourceDefinition %s: %s", name, last)
	}
	return nil
}

func (r *restorer) crdInBackup(name string) bool {
	for _, it := range r.plan.byRes[filter.CustomResourceDefinitions.String()] {
		if it.Name == name {
			return true
		}
	}
	return false
}

func established(crd *unstructured.Unstructured) bool {
	conds, _, _ := unstructured.NestedSlice(crd.Object, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == "Established" && m["status"] == "True" {
			return true
		}
	}
	return false
}
