package metrics

import (
	"io"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/uber-go/tally/v4"
	tallyprom "github.com/uber-go/tally/v4/prometheus"
	"go.temporal.io/sdk/client"
	sdktally "go.temporal.io/sdk/contrib/tally"
)

// temporalReportInterval is how often the SDK's metrics reach the registry.
const temporalReportInterval = time.Second

// NewTemporalHandler is the Temporal SDK's Prometheus metrics handler
// (temporal_request, temporal_workflow_task_execution_latency, ...) on
// reg, for client.Options.MetricsHandler; close the closer after the
// client. A metric that cannot be registered goes to onError.
func NewTemporalHandler(reg prometheus.Registerer, onError func(error)) (client.MetricsHandler, io.Closer) {
	reporter := tallyprom.NewReporter(tallyprom.Options{
		Registerer:              reg,
		DefaultTimerType:        tallyprom.HistogramTimerType,
		DefaultHistogramBuckets: stepBuckets,
		OnRegisterError:         onError,
	})
	scope, closer := tally.NewRootScope(tally.ScopeOptions{
		CachedReporter:  reporter,
		Separator:       tallyprom.DefaultSeparator,
		SanitizeOptions: &sdktally.PrometheusSanitizeOptions,
	}, temporalReportInterval)
	return sdktally.NewMetricsHandler(sdktally.NewPrometheusNamingScope(scope)), closer
}
