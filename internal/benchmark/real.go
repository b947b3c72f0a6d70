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
// OPENHEXA_ACC_TOKEN_ADMIN, for two builds of the provider: as it is (reads answered
// from one listing of the workspace) and built with -tags benchreadbyid (one
// connection(id) request per resource, what most providers do). Requests are counted
// by a proxy on loopback in front of the instance. Every connection it makes is named
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

// countingProxy forwards to the instance and counts requests by GraphQL operation.
type countingProxy struct {
	mu   sync.Mutex
	byOp map[string]int
	srv  *http.Server
	addr string
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
		p.mu.Lock()
		p.byOp[doc.OperationName]++
		p.mu.Unlock()
		forward.ServeHTTP(w, r)
	})}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// take returns the counts since the last call and starts again.
func (p *countingProxy) take() (int, map[string]int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	total := 0
	for _, n := range p.byOp {
		total += n
	}
	out := p.byOp
	p.byOp = map[string]int{}
	return total, out
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
	for name, binary := range binaries {
		if configs[name], err = writeCLIConfig(o.work, name, filepath.Dir(binary)); err != nil {
			return "", err
		}
	}
	env := func(variant string) []string {
		return append(os.Environ(), "TF_CLI_CONFIG_FILE="+configs[variant], "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
			"TF_VAR_url="+proxy.addr, "TF_VAR_token="+target.token)
	}
	runPhase := func(variant, name string, args ...string) (phase, error) {
		proxy.take()
		p, err := runTofu(o.tofu, dir, env(variant), binaries[variant], args...)
		p.name = variant + ": " + name
		p.requests, p.byOp = proxy.take()
		if err != nil {
			return p, fmt.Errorf("%s: %w\n%s", p.name, err, tail(p.output, 30))
		}
		fmt.Printf("    %-34s %7.2fs  requests=%-5d %s\n", p.name, p.wall.Seconds(), p.requests, formatOps(p.byOp))
		return p, nil
	}

	if _, err := runPhase("listing", "apply", "apply", "-auto-approve", "-no-color", "-input=false"); err != nil {
		return "", err
	}
	defer func() {
		if _, err := runPhase("listing", "destroy", "destroy", "-auto-approve", "-no-color", "-input=false"); err != nil {
			fmt.Fprintln(os.Stderr, "benchmark: destroy failed; the connections are deleted through the API:", err)
		}
	}()
	medians := map[string]phase{}
	for _, variant := range []string{"listing", "read-by-id"} {
		for _, st := range []struct{ name, key string }{{"plan -refresh=false", "norefresh"}, {"plan", "refresh"}} {
			var runs []phase
			for range o.repeat {
				args := []string{"plan", "-no-color", "-input=false"}
				if st.key == "norefresh" {
					args = append(args, "-refresh=false")
				}
				p, err := runPhase(variant, st.name, args...)
				if err != nil {
					return "", err
				}
				runs = append(runs, p)
			}
			medians[variant+"/"+st.key] = median(runs)
		}
	}
	refreshOf := func(variant string) time.Duration {
		return medians[variant+"/refresh"].wall - medians[variant+"/norefresh"].wall
	}
	return fmt.Sprintf("bench-openhexa: N=%d plan=%.2fs plan_refresh_false=%.2fs ratio=%.2f refresh_requests=%d "+
		"by_id_plan=%.2fs by_id_refresh_requests=%d refresh_speedup=%.1f",
		n, medians["listing/refresh"].wall.Seconds(), medians["listing/norefresh"].wall.Seconds(),
		medians["listing/refresh"].wall.Seconds()/medians["listing/norefresh"].wall.Seconds(),
		medians["listing/refresh"].requests, medians["read-by-id/refresh"].wall.Seconds(),
		medians["read-by-id/refresh"].requests, refreshOf("read-by-id").Seconds()/refreshOf("listing").Seconds()), nil
}

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
