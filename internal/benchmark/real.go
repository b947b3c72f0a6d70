package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexa"
)

// The real-instance mode (`make bench-openhexa`): the same measurements against the
// OpenHEXA that OPENHEXA_ACC_URL names, in OPENHEXA_ACC_WORKSPACE, with
// OPENHEXA_ACC_TOKEN_ADMIN, for three variants of the provider: as it is (reads
// answered from a listing of the workspace without fields), the same with
// OPENHEXA_FULL_REFRESH=true (one listing with every field, as when every connection
// changed) and built with -tags benchreadbyid (one connection(id) request per
// resource, what most providers do). Requests are counted and the span of the reads
// timed by a proxy on loopback in front of the instance. Every connection it makes is named
// `tfacc-bench-<random>-…` and is destroyed at the end, even after a failure; nothing
// else is touched.

// realTarget is the instance the environment names.
type realTarget struct {
	url, workspace, token string
}

func realTargetFromEnv() (realTarget, error) {
	t := realTarget{
		url:       os.Getenv("OPENHEXA_ACC_URL"),
		workspace: os.Getenv("OPENHEXA_ACC_WORKSPACE"),
		token:     os.Getenv("OPENHEXA_ACC_TOKEN_ADMIN"),
	}
	var missing []string
	for name, v := range map[string]string{"OPENHEXA_ACC_URL": t.url, "OPENHEXA_ACC_WORKSPACE": t.workspace, "OPENHEXA_ACC_TOKEN_ADMIN": t.token} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return t, fmt.Errorf("the real-instance benchmark needs %s (a member with the ADMIN or EDITOR role of that workspace)", strings.Join(missing, ", "))
	}
	return t, nil
}

// countingProxy forwards to the instance, counts requests by GraphQL operation and
// times the span of the reads of connections: from the first one's arrival to the
// last one's answer. That span is what a refresh costs, measured without the noise
// of the CLI's own time in two subtracted wall times.
type countingProxy struct {
	mu         sync.Mutex
	byOp       map[string]int
	readsStart time.Time
	readsEnd   time.Time
	srv        *http.Server
	addr       string
}

// refreshReads are the operations a refresh sends to read connections.
var refreshReads = map[string]bool{
	openhexa.OpListWorkspaceConnections:         true,
	openhexa.OpListWorkspaceConnectionSummaries: true,
	openhexa.OpGetConnection:                    true,
}

func startCountingProxy(target string) (*countingProxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &countingProxy{byOp: map[string]int{}, addr: "http://" + ln.Addr().String()}
	forward := httputil.NewSingleHostReverseProxy(u)
	p.srv = &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var doc struct {
			OperationName string `json:"operationName"`
		}
		_ = json.Unmarshal(body, &doc)
		arrived := time.Now()
		p.mu.Lock()
		p.byOp[doc.OperationName]++
		if refreshReads[doc.OperationName] && (p.readsStart.IsZero() || arrived.Before(p.readsStart)) {
			p.readsStart = arrived
		}
		p.mu.Unlock()
		forward.ServeHTTP(w, r)
		if refreshReads[doc.OperationName] {
			answered := time.Now()
			p.mu.Lock()
			if answered.After(p.readsEnd) {
				p.readsEnd = answered
			}
			p.mu.Unlock()
		}
	})}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// take returns the counts and the span of connection reads since the last call, and
// starts again.
func (p *countingProxy) take() (int, map[string]int, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	total := 0
	for _, n := range p.byOp {
		total += n
	}
	out, reads := p.byOp, p.readsEnd.Sub(p.readsStart)
	if p.readsStart.IsZero() {
		reads = 0
	}
	p.byOp, p.readsStart, p.readsEnd = map[string]int{}, time.Time{}, time.Time{}
	return total, out, reads
}

// buildVariants builds the provider as it is and with one read per resource.
func buildVariants(work string) (map[string]string, error) {
	variants := map[string]string{"listing": "", "read-by-id": "benchreadbyid"}
	out := map[string]string{}
	for name, tags := range variants {
		binary := filepath.Join(work, "plugins-"+name, providerName)
		args := []string{"build", "-o", binary}
		if tags != "" {
			args = append(args, "-tags", tags)
		}
		build := exec.Command("go", append(args, ".")...)
		build.Stdout, build.Stderr = os.Stdout, os.Stderr
		if err := build.Run(); err != nil {
			return nil, fmt.Errorf("go build %s: %w", name, err)
		}
		out[name] = binary
	}
	return out, nil
}

func writeCLIConfig(work, name, plugins string) (string, error) {
	path := filepath.Join(work, "cli-"+name+".tfrc")
	return path, os.WriteFile(path, []byte(fmt.Sprintf(`disable_checkpoint = true
provider_installation {
  dev_overrides {
    "registry.opentofu.org/blsq/openhexa" = %q
  }
  filesystem_mirror {
    path = %q
  }
}
`, plugins, filepath.Join(work, "empty-mirror"))), 0o644)
}

// benchRealN measures N managed connections on the instance and returns the summary line.
func benchRealN(o options, target realTarget, n int, binaries map[string]string) (string, error) {
	prefix := "tfacc-bench-" + randomHex(3) + "-"
	fmt.Printf("\n==> N=%d on %s, workspace %q, names %q…\n", n, target.url, target.workspace, prefix)
	proxy, err := startCountingProxy(target.url)
	if err != nil {
		return "", err
	}
	defer func() { _ = proxy.srv.Close() }()
	defer deleteByPrefix(target, prefix)

	dir := filepath.Join(o.work, fmt.Sprintf("real-%d", n))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	config := strings.Replace(connectionsConfigNamed(n, prefix), `workspace = "`+defaultWorkspace+`"`, `workspace = "`+target.workspace+`"`, 1)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644); err != nil {
		return "", err
	}
	configs := map[string]string{}
	for name := range binaries {
		if configs[name], err = writeCLIConfig(o.work, name, o.wrapper); err != nil {
			return "", err
		}
	}
	env := func(variant string) []string {
		return append(os.Environ(), "TF_CLI_CONFIG_FILE="+configs[binaryOf[variant]], "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
			"TF_VAR_url="+proxy.addr, "TF_VAR_token="+target.token,
			fmt.Sprintf("OPENHEXA_FULL_REFRESH=%t", variant == variantFullRefresh))
	}
	runPhase := func(variant, name string, args ...string) (phase, error) {
		proxy.take()
		p, err := runTofu(o.tofu, dir, env(variant), binaries[binaryOf[variant]], args...)
		p.name = variant + ": " + name
		p.requests, p.byOp, p.reads = proxy.take()
		if err != nil {
			return p, fmt.Errorf("%s: %w\n%s", p.name, err, tail(p.output, 30))
		}
		reads := ""
		if p.reads > 0 {
			reads = fmt.Sprintf("reads %.2fs", p.reads.Seconds())
		}
		fmt.Printf("    %-44s %7.2fs  %-12s requests=%-5d %s\n", p.name, p.wall.Seconds(), reads, p.requests, formatOps(p.byOp))
		return p, nil
	}

	if _, err := runPhase(variantListing, "apply", "apply", "-auto-approve", "-no-color", "-input=false"); err != nil {
		return "", err
	}
	defer func() {
		if _, err := runPhase(variantListing, "destroy", "destroy", "-auto-approve", "-no-color", "-input=false"); err != nil {
			fmt.Fprintln(os.Stderr, "benchmark: destroy failed; the connections are deleted through the API:", err)
		}
	}()
	// Interleaved, so that a slower minute of the machine weighs on every variant alike.
	runs := map[string][]phase{}
	for range o.repeat {
		for _, variant := range []string{variantListing, variantFullRefresh, variantByID} {
			for _, st := range []struct{ name, key string }{{"plan -refresh=false", "norefresh"}, {"plan", "refresh"}} {
				args := []string{"plan", "-no-color", "-input=false"}
				if st.key == "norefresh" {
					args = append(args, "-refresh=false")
				}
				p, err := runPhase(variant, st.name, args...)
				if err != nil {
					return "", err
				}
				runs[variant+"/"+st.key] = append(runs[variant+"/"+st.key], p)
			}
		}
	}
	medians := map[string]phase{}
	reads := map[string]time.Duration{}
	for key, list := range runs {
		medians[key] = median(list)
		spans := make([]time.Duration, 0, len(list))
		for _, p := range list {
			spans = append(spans, p.reads)
		}
		sort.Slice(spans, func(i, j int) bool { return spans[i] < spans[j] })
		reads[key] = spans[len(spans)/2]
	}
	listing, byID := medians[variantListing+"/refresh"], medians[variantByID+"/refresh"]
	return fmt.Sprintf("bench-openhexa: N=%d plan=%.2fs plan_refresh_false=%.2fs ratio=%.2f refresh_reads=%.2fs refresh_requests=%d "+
		"full_refresh_plan=%.2fs full_refresh_reads=%.2fs by_id_plan=%.2fs by_id_reads=%.2fs by_id_refresh_requests=%d refresh_speedup=%.1f",
		n, listing.wall.Seconds(), medians[variantListing+"/norefresh"].wall.Seconds(),
		listing.wall.Seconds()/medians[variantListing+"/norefresh"].wall.Seconds(),
		reads[variantListing+"/refresh"].Seconds(), listing.requests,
		medians[variantFullRefresh+"/refresh"].wall.Seconds(), reads[variantFullRefresh+"/refresh"].Seconds(),
		byID.wall.Seconds(), reads[variantByID+"/refresh"].Seconds(), byID.requests,
		reads[variantByID+"/refresh"].Seconds()/reads[variantListing+"/refresh"].Seconds()), nil
}

// The variants a real-instance run compares, and the provider build each runs.
const (
	variantListing     = "as built"
	variantFullRefresh = "as built, full_refresh"
	variantByID        = "read-by-id"
)

var binaryOf = map[string]string{variantListing: "listing", variantFullRefresh: "listing", variantByID: "read-by-id"}

// deleteByPrefix deletes, through the API, every connection of the workspace whose
// slug starts with prefix: what a failed run may have left. Nothing else.
func deleteByPrefix(target realTarget, prefix string) {
	c, err := openhexa.NewClient(openhexa.Config{URL: target.url, Token: target.token, UserAgent: "terraform-provider-openhexa-benchmark"})
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchmark: clean-up:", err)
		return
	}
	ctx := context.Background()
	conns, err := c.WorkspaceConnections(ctx, target.workspace)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchmark: clean-up:", err)
		return
	}
	for _, conn := range conns {
		if strings.HasPrefix(conn.Slug, prefix) {
			if err := c.DeleteConnection(ctx, conn.ID); err != nil && !openhexa.IsKind(err, openhexa.KindNotFound) {
				fmt.Fprintf(os.Stderr, "benchmark: clean-up of %s: %v\n", conn.Slug, err)
			}
		}
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
