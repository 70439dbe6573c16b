package devserver

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	uiserver "github.com/temporalio/ui-server/v2/server"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
	uiserveroptions "github.com/temporalio/ui-server/v2/server/server_options"
)

// startUI serves the Temporal Web UI (assets embedded in the ui-server
// module) against the frontend at hostPort, and waits until it answers.
func startUI(hostPort string, port int, namespace string) (*uiserver.Server, error) {
	cfg := &uiconfig.Config{
		Host:                "127.0.0.1",
		Port:                port,
		TemporalGRPCAddress: hostPort,
		EnableUI:            true,
		DefaultNamespace:    namespace,
		DisableNewsFetch:    true,
		HideLogs:            true,
		CORS:                uiconfig.CORS{CookieInsecure: true},
	}
	ui := uiserver.NewServer(uiserveroptions.WithConfigProvider(cfg))
	go func() { _ = ui.Start() }()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + addr + "/")
		if err == nil {
			resp.Body.Close()
			return ui, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	ui.Stop()
	return nil, fmt.Errorf("the Temporal UI did not answer on %s within 20s", addr)
}
