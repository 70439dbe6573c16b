package locations

// Names and labels of the Kubernetes objects that hold locations.
const (
	// DefaultNamespace is Cairn's namespace unless configured otherwise.
	DefaultNamespace = "cairn"
	// NamespaceEnv names the environment variable that overrides it.
	NamespaceEnv = "CAIRN_NAMESPACE"

	// Label marks a location's ConfigMap and own Secret; its value is the
	// location's name.
	Label = "cairn.io/backup-storage-location"

	objectPrefix = "cairn-bsl-"
	// CredentialsKey is the key of a location's own credentials Secret.
	CredentialsKey = "cloud"

	// PasswordSecret and PasswordKey hold the generated repository
	// password shared by locations without their own.
	PasswordSecret = "cairn-repo-credentials"
	PasswordKey    = "repository-password"

	specKey   = "spec"
	statusKey = "status"
)

// ConfigMapName is the name of the ConfigMap of location name.
func ConfigMapName(name string) string { return objectPrefix + name }

// CredentialsSecretName is the name of location name's own credentials
// Secret, written for --credential-file.
func CredentialsSecretName(name string) string { return objectPrefix + name + "-credentials" }

// Config keys of provider aws, after Velero's AWS plugin.
const (
	ConfigRegion           = "region"
	ConfigS3ForcePathStyle = "s3ForcePathStyle"
	ConfigS3URL            = "s3Url"
	ConfigInsecureSkipTLS  = "insecureSkipTLSVerify"
	// ConfigCACert is a PEM bundle, base64-encoded as Velero's caCert, or
	// plain.
	ConfigCACert = "caCert"
	// ConfigProfile selects the profile of the credentials file (default
	// "default").
	ConfigProfile = "profile"
)

// ConfigKeys lists the config keys provider aws accepts.
var ConfigKeys = []string{
	ConfigRegion, ConfigS3ForcePathStyle, ConfigS3URL, ConfigInsecureSkipTLS, ConfigCACert, ConfigProfile,
}
