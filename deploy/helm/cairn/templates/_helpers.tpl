{{/* cairn.image is the image reference, its tag defaulting to the appVersion. */}}
{{- define "cairn.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* cairn.labels are the labels of every object; pass (list . "component"). */}}
{{- define "cairn.labels" -}}
app.kubernetes.io/name: cairn
{{- with index . 1 }}
app.kubernetes.io/component: {{ . }}
{{- end }}
app.kubernetes.io/instance: {{ (index . 0).Release.Name }}
app.kubernetes.io/version: {{ (index . 0).Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ (index . 0).Release.Service }}
helm.sh/chart: {{ (index . 0).Chart.Name }}-{{ (index . 0).Chart.Version }}
{{- end -}}

{{/* cairn.temporalEnv is the Temporal environment of both workloads. */}}
{{- define "cairn.temporalEnv" -}}
- name: CAIRN_TEMPORAL_ADDRESS
  valueFrom:
    configMapKeyRef: {name: cairn-temporal, key: address}
- name: CAIRN_TEMPORAL_NAMESPACE
  valueFrom:
    configMapKeyRef: {name: cairn-temporal, key: namespace}
- name: CAIRN_CLUSTER_NAME
  valueFrom:
    configMapKeyRef: {name: cairn-temporal, key: clusterName, optional: true}
- name: CAIRN_NAMESPACE
  valueFrom:
    fieldRef: {fieldPath: metadata.namespace}
{{- if .Values.temporal.tls.existingSecret }}
- name: CAIRN_TEMPORAL_TLS_CERT
  value: /etc/cairn/temporal-tls/tls.crt
- name: CAIRN_TEMPORAL_TLS_KEY
  value: /etc/cairn/temporal-tls/tls.key
- name: CAIRN_TEMPORAL_TLS_CA
  value: /etc/cairn/temporal-tls/ca.crt
{{- end }}
{{- with .Values.temporal.apiKey.existingSecret }}
- name: CAIRN_TEMPORAL_API_KEY
  valueFrom:
    secretKeyRef: {name: {{ . }}, key: {{ $.Values.temporal.apiKey.key }}}
{{- end }}
{{- end -}}

{{/* cairn.tlsMount mounts the Temporal TLS Secret, when there is one. */}}
{{- define "cairn.tlsMount" -}}
{{- if .Values.temporal.tls.existingSecret }}
- name: temporal-tls
  mountPath: /etc/cairn/temporal-tls
  readOnly: true
{{- end }}
{{- end -}}

{{/* cairn.tlsVolume is the volume of the Temporal TLS Secret, when there is one. */}}
{{- define "cairn.tlsVolume" -}}
{{- with .Values.temporal.tls.existingSecret }}
- name: temporal-tls
  secret:
    secretName: {{ . }}
{{- end }}
{{- end -}}
