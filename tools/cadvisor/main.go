// cloudlab's cAdvisor: the library of github.com/google/cadvisor at the version go.mod pins, served the way the
// cmd/cadvisor binary serves it (the same flags for what it keeps: --listen_ip, --port, --housekeeping_interval,
// --docker_only, ...). The cmd module itself (its main package, web UI and REST API) is not served by the Go
// module proxy these machines reach ("403 This module version is not available"), so this wrapper is the main
// package: Prometheus /metrics, /healthz, and a one-page container list at / instead of the upstream UI.
package main

import (
	"flag"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	// The Docker plugin is what names a container's series after its Docker name (label "name").
	_ "github.com/google/cadvisor/container/docker/install"
	"github.com/google/cadvisor/lib/cache/memory"
	"github.com/google/cadvisor/lib/container"
	"github.com/google/cadvisor/lib/manager"
	"github.com/google/cadvisor/lib/metrics"
	info "github.com/google/cadvisor/lib/model"
	"github.com/google/cadvisor/lib/utils/sysfs"
	"github.com/google/cadvisor/lib/version"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"k8s.io/klog/v2"
	"k8s.io/utils/clock"
)

var (
	listenIP        = flag.String("listen_ip", "", "address to serve on (empty: every address)")
	port            = flag.Int("port", 8080, "port to serve on")
	versionFlag     = flag.Bool("version", false, "print the version and exit")
	storageDuration = flag.Duration("storage_duration", 2*time.Minute, "how long samples are kept in memory")
	storeLabels     = flag.Bool("store_container_labels", true, "put every container label and env var on its series (false: name, first alias and image only, plus whitelisted_container_labels)")
	rawCgroupPrefix = flag.String("raw_cgroup_prefix_whitelist", "", "cgroup path prefixes, comma-separated, collected even with --docker_only")
	labelWhitelist  = flag.String("whitelisted_container_labels", "", "container labels, comma-separated, put on the series when store_container_labels is false")
	// What a lab needs per container (CPU, memory, network, disk I/O); the per-CPU, TCP/UDP, process and
	// disk-usage kinds multiply the series or walk every layer's files, for nothing the dashboard shows.
	enabledMetrics = metricSetFlag("enable_metrics", container.MetricSet{
		container.CpuUsageMetrics:     struct{}{},
		container.MemoryUsageMetrics:  struct{}{},
		container.NetworkUsageMetrics: struct{}{},
		container.DiskIOMetrics:       struct{}{},
	}, "comma-separated list of metrics to enable (cpu, memory, network, diskIO, ...)")
)

func metricSetFlag(name string, value container.MetricSet, usage string) *container.MetricSet {
	flag.Var(&value, name, usage)
	return &value
}

func main() {
	klog.InitFlags(nil)
	flag.Parse()
	if *versionFlag {
		fmt.Printf("cAdvisor version %s (%s)\n", version.Info["version"], version.Info["revision"])
		return
	}

	m, err := manager.New(memory.New(*storageDuration, nil), sysfs.NewRealSysFs(), manager.HousekeepingConfigFlags, *enabledMetrics, strings.Split(*rawCgroupPrefix, ","), nil, "", 0)
	if err != nil {
		klog.Fatalf("creating the manager: %v", err)
	}
	if err := m.Start(); err != nil {
		klog.Fatalf("starting the manager: %v", err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	mux.Handle("/metrics", metricsHandler(m, *enabledMetrics, containerLabels()))
	mux.HandleFunc("/", containersPage(m))

	addr := net.JoinHostPort(*listenIP, strconv.Itoa(*port))
	server := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		klog.Infof("cAdvisor %s listening on %s", version.Info["version"], addr)
		if err := server.ListenAndServe(); err != nil && err != http.ErrServerClosed {
			klog.Fatalf("serving: %v", err)
		}
	}()

	// docker stop sends SIGTERM: stop housekeeping before exiting so no goroutine reads a half-closed cgroup.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	<-signals
	_ = server.Close()
	_ = m.Stop()
}

// The labels of a container's series, chosen as cmd/cadvisor chooses them from the same two flags.
func containerLabels() metrics.ContainerLabelsFunc {
	if *storeLabels {
		return metrics.DefaultContainerLabels
	}
	var whitelist []string
	for _, l := range strings.Split(*labelWhitelist, ",") {
		if l = strings.TrimSpace(l); l != "" {
			whitelist = append(whitelist, l)
		}
	}
	return metrics.BaseContainerLabels(whitelist)
}

func metricsHandler(m manager.Manager, included container.MetricSet, labels metrics.ContainerLabelsFunc) http.Handler {
	registry := prometheus.NewRegistry()
	registry.MustRegister(
		metrics.NewPrometheusCollector(m, labels, included, clock.RealClock{}, info.RequestOptions{
			IdType: info.TypeName, Count: 1, Recursive: true,
		}),
		metrics.NewPrometheusMachineCollector(m, included),
	)
	return promhttp.HandlerFor(registry, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

var page = template.Must(template.New("page").Parse(`<!doctype html>
<title>cAdvisor {{.Version}}</title>
<h1>cAdvisor {{.Version}}</h1>
<p>Docker containers on this host, latest sample. Every series: <a href="/metrics">/metrics</a>.</p>
<table border="1" cellpadding="4">
<tr><th>name</th><th>image</th><th>CPU (s, cumulative)</th><th>memory (MiB)</th><th>network rx / tx (bytes)</th></tr>
{{range .Rows}}<tr><td>{{.Name}}</td><td>{{.Image}}</td><td>{{printf "%.1f" .CPUSeconds}}</td><td>{{printf "%.1f" .MemoryMiB}}</td><td>{{.RxBytes}} / {{.TxBytes}}</td></tr>
{{end}}</table>
`))

type row struct {
	Name, Image      string
	CPUSeconds       float64
	MemoryMiB        float64
	RxBytes, TxBytes uint64
}

func containersPage(m manager.Manager) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		containers, err := m.AllDockerContainers(&info.ContainerInfoRequest{NumStats: 1})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		rows := make([]row, 0, len(containers))
		for _, c := range containers {
			r := row{Image: c.Spec.Image, Name: c.Name}
			if len(c.Aliases) > 0 {
				r.Name = c.Aliases[0]
			}
			if n := len(c.Stats); n > 0 {
				s := c.Stats[n-1]
				if s.Cpu != nil {
					r.CPUSeconds = float64(s.Cpu.Usage.Total) / 1e9
				}
				if s.Memory != nil {
					r.MemoryMiB = float64(s.Memory.WorkingSet) / (1 << 20)
				}
				if s.Network != nil {
					for _, i := range s.Network.Interfaces {
						r.RxBytes += i.RxBytes
						r.TxBytes += i.TxBytes
					}
				}
			}
			rows = append(rows, r)
		}
		sort.Slice(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = page.Execute(w, struct {
			Version string
			Rows    []row
		}{version.Info["version"], rows})
	}
}
