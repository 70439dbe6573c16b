package devserver

import (
	"errors"
	"strconv"

	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/primitives"
	"go.temporal.io/server/temporal"
)

// TLS says how the frontend serves TLS.
type TLS struct {
	// CertFile and KeyFile are the frontend's PEM certificate and key.
	CertFile, KeyFile string
	// ClientCAFile, when set, makes the frontend require client
	// certificates signed by this PEM CA (mutual TLS).
	ClientCAFile string
}

// secured reports whether the public frontend is guarded by TLS or an API
// key; the server's own services then reach it through an internal
// frontend, which is plaintext on 127.0.0.1 and trusts its callers.
func (o Options) secured() bool { return o.TLS != nil || o.APIKey != "" }

// secure adds to conf the frontend's TLS and the internal frontend on the
// two ports given.
func (o Options) secure(conf *config.Config, ports []int) {
	if !o.secured() {
		return
	}
	if o.TLS != nil {
		server := config.ServerTLS{CertFile: o.TLS.CertFile, KeyFile: o.TLS.KeyFile}
		if o.TLS.ClientCAFile != "" {
			server.ClientCAFiles, server.RequireClientAuth = []string{o.TLS.ClientCAFile}, true
		}
		conf.Global.TLS.Frontend = config.GroupTLS{Server: server}
	}
	conf.Services[string(primitives.InternalFrontendService)] = config.Service{RPC: config.RPC{
		GRPCPort: ports[0], MembershipPort: ports[1], BindOnIP: "127.0.0.1",
	}}
	conf.PublicClient.HostPort = "" // the server's own clients use the internal frontend
}

// internalHostPort is the address of the frontend the server's own clients
// use.
func internalHostPort(conf *config.Config) string {
	if ife, ok := conf.Services[string(primitives.InternalFrontendService)]; ok {
		return "127.0.0.1:" + strconv.Itoa(ife.RPC.GRPCPort)
	}
	return conf.PublicClient.HostPort
}

// services are the services the server runs.
func (o Options) services() []string {
	if !o.secured() {
		return temporal.DefaultServices
	}
	return append([]string{string(primitives.InternalFrontendService)}, temporal.DefaultServices...)
}

// errBadAPIKey is what a caller with a wrong API key is told.
var errBadAPIKey = errors.New("authorization failed: the API key is not the one this server accepts")

// apiKeyClaims grants a system administrator's claims to callers that send
// "Bearer <key>" and refuses every other caller.
type apiKeyClaims struct{ key string }

// GetClaims implements authorization.ClaimMapper.
func (m apiKeyClaims) GetClaims(info *authorization.AuthInfo) (*authorization.Claims, error) {
	if info == nil || info.AuthToken != "Bearer "+m.key {
		return nil, errBadAPIKey
	}
	return &authorization.Claims{System: authorization.RoleAdmin}, nil
}

// authorization is the server's authorizer and claim mapper: with an API
// key, only callers with that key; otherwise everyone.
func (o Options) authorization() (authorization.Authorizer, authorization.ClaimMapper) {
	if o.APIKey == "" {
		return authorization.NewNoopAuthorizer(), authorization.NewNoopClaimMapper()
	}
	return authorization.NewDefaultAuthorizer(), apiKeyClaims{key: o.APIKey}
}
