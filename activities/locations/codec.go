package locations

import (
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// toConfigMap encodes loc; its CredentialsFile is not part of it.
func toConfigMap(namespace string, loc Location) (*corev1.ConfigMap, error) {
	spec, err := json.MarshalIndent(loc.Spec, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding backup storage location %q: %w", loc.Name, err)
	}
	status, err := encodeStatus(loc.Status)
	if err != nil {
		return nil, fmt.Errorf("encoding backup storage location %q: %w", loc.Name, err)
	}
	return &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{
			Name:            ConfigMapName(loc.Name),
			Namespace:       namespace,
			Labels:          map[string]string{Label: loc.Name},
			ResourceVersion: loc.ResourceVersion,
		},
		Data: map[string]string{specKey: string(spec), statusKey: status},
	}, nil
}

func encodeStatus(s Status) (string, error) {
	data, err := json.MarshalIndent(s, "", "  ")
	return string(data), err
}

// fromConfigMap decodes a location's ConfigMap.
func fromConfigMap(cm *corev1.ConfigMap) (Location, error) {
	name := cm.Labels[Label]
	if name == "" || ConfigMapName(name) != cm.Name {
		return Location{}, fmt.Errorf("configmap %s/%s: label %s does not match its name", cm.Namespace, cm.Name, Label)
	}
	loc := Location{Name: name, ResourceVersion: cm.ResourceVersion}
	if err := json.Unmarshal([]byte(cm.Data[specKey]), &loc.Spec); err != nil {
		return Location{}, fmt.Errorf("configmap %s/%s: decoding %s: %w", cm.Namespace, cm.Name, specKey, err)
	}
	if st := cm.Data[statusKey]; st != "" {
		if err := json.Unmarshal([]byte(st), &loc.Status); err != nil {
			return Location{}, fmt.Errorf("configmap %s/%s: decoding %s: %w", cm.Namespace, cm.Name, statusKey, err)
		}
	}
	return loc, nil
}
