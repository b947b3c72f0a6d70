// Command benchmark measures the provider against the OpenHEXA test server with the
// pinned OpenTofu (`make bench`). For each N it starts an in-process test server with
// a fixed latency, writes N connections of mixed types, and times with a dev
// override (no init, no registry, CHECKPOINT_DISABLE=1):
//
//   - apply (creates the N connections),
//   - plan -refresh=false,
//   - plan (refresh: N reads),
//   - plan of N terraform_data resources (the CLI's own floor).
//
// It prints wall times, the CPU seconds (user + system) of the provider processes and
// of the CLI, the HTTP requests of each phase (by operation), requests per resource and
// the provider's peak memory (the largest maxrss among its processes), all from the
// rusage the kernel reports (cpu.go), then one line per N:
//
//	bench: N=<n> refresh_requests=<r> ratio=<plan / plan -refresh=false> floor=<plan -refresh=false / terraform_data plan>
//	       provider_cpu=<plan -refresh=false> cli_cpu=<plan -refresh=false> floor_cli_cpu=<terraform_data plan>
//
// Usage: go run ./internal/benchmark -tofu <path> [-n 100,500] [-latency 50ms] [-provider <binary>]
//
// With -real it measures a real OpenHEXA instead (real.go, `make bench-openhexa`).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

const providerName = "terraform-provider-openhexa"

func main() {
	wrapIfAsked()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchmark:", err)
		os.Exit(1)
	}
}

type options struct {
	tofu     string
	provider string
	sizes    []int
	latency  time.Duration
	repeat   int
	work     string
	wrapper  string // the dev override's directory: the wrapper in the provider's place (cpu.go)
}

func run() error {
	var o options
	var sizes string
	flag.StringVar(&o.tofu, "tofu", "", "path of the pinned OpenTofu (scripts/build-tofu.sh)")
	flag.StringVar(&o.provider, "provider", "", "provider binary to measure (default: build this module)")
	flag.StringVar(&sizes, "n", "100,500", "comma-separated numbers of connections")
	flag.DurationVar(&o.latency, "latency", 50*time.Millisecond, "latency the test server adds to every request")
	flag.IntVar(&o.repeat, "repeat", 5, "how many times each plan runs (the median counts)")
	keep := flag.Bool("keep", false, "keep the working directory")
	realMode := flag.Bool("real", false, "measure the OpenHEXA named by OPENHEXA_ACC_URL, OPENHEXA_ACC_WORKSPACE and OPENHEXA_ACC_TOKEN_ADMIN, as built and with one read per resource")
	flag.Parse()
	if o.tofu == "" {
		return fmt.Errorf("-tofu is required")
	}
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("-n: %q is not a positive number", s)
		}
		o.sizes = append(o.sizes, n)
	}

	work, err := os.MkdirTemp("", "openhexa-bench-")
	if err != nil {
		return err
	}
	o.work = work
	if *keep {
		fmt.Println("working directory:", work)
	} else {
		defer func() { _ = os.RemoveAll(work) }()
	}
	plugins := filepath.Join(work, "plugins")
	if err := os.MkdirAll(filepath.Join(work, "empty-mirror"), 0o755); err != nil {
		return err
	}
	if o.wrapper, err = writeWrapper(work); err != nil {
		return err
	}
	if *realMode {
		return runReal(o)
	}
	binary := filepath.Join(plugins, providerName)
	if o.provider != "" {
		if err := os.MkdirAll(plugins, 0o755); err != nil {
			return err
		}
		b, err := os.ReadFile(o.provider)
		if err != nil {
			return err
		}
		if err := os.WriteFile(binary, b, 0o755); err != nil {
			return err
		}
	} else {
		fmt.Println("==> building the provider")
		build := exec.Command("go", "build", "-o", binary, ".")
		build.Stdout, build.Stderr = os.Stdout, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("go build: %w", err)
		}
	}
	cliConfig, err := writeCLIConfig(work, "provider", o.wrapper)
	if err != nil {
		return err
	}

	return forEachSize(o.sizes, func(n int) (string, error) { return benchN(o, n, binary, cliConfig) })
}

// forEachSize measures each N in turn, then prints the summary line of each.
func forEachSize(sizes []int, measure func(n int) (string, error)) error {
	var summary []string
	for _, n := range sizes {
		line, err := measure(n)
		if err != nil {
			return fmt.Errorf("benchmark at N=%d: %w", n, err)
		}
		summary = append(summary, line)
	}
	fmt.Println()
	for _, line := range summary {
		fmt.Println(line)
	}
	return nil
}

type phase struct {
	name     string
	wall     time.Duration
	reads    time.Duration // real-instance runs: span of the connection reads at the proxy
	requests int
	byOp     map[string]int
	peakKB   int64
	provider time.Duration // CPU (user + system) of the provider processes
	cli      time.Duration // CPU of the CLI: its total less the provider processes and their wrappers
	output   string
}

func benchN(o options, n int, binary, cliConfig string) (string, error) {
	fmt.Printf("\n==> N=%d, latency %s\n", n, o.latency)
	srv := openhexatest.New(openhexatest.WithLatency(o.latency))
	if _, err := srv.Listen("127.0.0.1:0"); err != nil {
		return "", err
	}
	defer srv.Close()

	dir := filepath.Join(o.work, fmt.Sprintf("openhexa-%d", n))
	floorDir := filepath.Join(o.work, fmt.Sprintf("terraform-data-%d", n))
	for _, d := range []string{dir, floorDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return "", err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(connectionsConfig(n)), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(floorDir, "main.tf"), []byte(terraformDataConfig(n)), 0o644); err != nil {
		return "", err
	}
	env := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"TF_VAR_url="+srv.URL(), "TF_VAR_token="+openhexatest.TokenAdmin)

	runPhase := func(name, dir string, args ...string) (phase, error) {
		srv.ResetRequests()
		p, err := runTofu(o.tofu, dir, env, binary, args...)
		p.name = name
		if err != nil {
			return p, fmt.Errorf("%s: %w\n%s", name, err, tail(p.output, 30))
		}
		p.requests = srv.TotalRequests()
		p.byOp = map[string]int{}
		for _, r := range srv.Requests() {
			p.byOp[r.OperationName]++
		}
		return p, nil
	}

	type step struct {
		name string
		dir  string
		args []string
	}
	report := func(p phase) {
		fmt.Printf("    %-22s %7.2fs  cpu provider=%5.2fs cli=%5.2fs  requests=%-5d per_resource=%-6.3f provider_peak=%s  %s\n",
			p.name, p.wall.Seconds(), p.provider.Seconds(), p.cli.Seconds(), p.requests, float64(p.requests)/float64(n),
			formatKB(p.peakKB), formatOps(p.byOp))
	}
	for _, st := range []step{
		{"apply", dir, []string{"apply", "-auto-approve", "-no-color", "-input=false"}},
		{"terraform_data apply", floorDir, []string{"apply", "-auto-approve", "-no-color", "-input=false"}},
	} {
		p, err := runPhase(st.name, st.dir, st.args...)
		if err != nil {
			return "", err
		}
		report(p)
	}
	// The plans run o.repeat times, interleaved so that a slow moment of a shared
	// machine hits all three alike; the ratios use the median wall times.
	plans := []step{
		{"plan -refresh=false", dir, []string{"plan", "-refresh=false", "-no-color", "-input=false"}},
		{"plan", dir, []string{"plan", "-no-color", "-input=false"}},
		{"terraform_data plan", floorDir, []string{"plan", "-no-color", "-input=false"}},
	}
	runs := make([][]phase, len(plans))
	for round := 0; round < o.repeat; round++ {
		for i, st := range plans {
			p, err := runPhase(st.name, st.dir, st.args...)
			if err != nil {
				return "", err
			}
			if !strings.Contains(p.output, "No changes.") {
				fmt.Printf("    warning: %s did not report \"No changes.\"\n%s\n", st.name, tail(p.output, 15))
			}
			report(p)
			runs[i] = append(runs[i], p)
		}
	}
	noRefresh, refresh, floor := median(runs[0]), median(runs[1]), median(runs[2])
	fmt.Printf("    medians of %d: plan -refresh=false %.2fs, plan %.2fs, terraform_data plan %.2fs\n",
		o.repeat, noRefresh.wall.Seconds(), refresh.wall.Seconds(), floor.wall.Seconds())
	cpu := make([][2]time.Duration, len(plans))
	for i, st := range plans {
		cpu[i] = [2]time.Duration{medianOf(runs[i], func(p phase) time.Duration { return p.provider }),
			medianOf(runs[i], func(p phase) time.Duration { return p.cli })}
		fmt.Printf("    median CPU of %-22s provider %.2fs, CLI %.2fs\n", st.name+":", cpu[i][0].Seconds(), cpu[i][1].Seconds())
	}
	return fmt.Sprintf("bench: N=%d refresh_requests=%d ratio=%.2f floor=%.2f provider_cpu=%.2fs cli_cpu=%.2fs floor_cli_cpu=%.2fs",
		n, refresh.requests, refresh.wall.Seconds()/noRefresh.wall.Seconds(),
		noRefresh.wall.Seconds()/floor.wall.Seconds(), cpu[0][0].Seconds(), cpu[0][1].Seconds(), cpu[2][1].Seconds()), nil
}

// medianOf returns the median of one measure over runs, taken on its own.
func medianOf(runs []phase, measure func(phase) time.Duration) time.Duration {
	values := make([]time.Duration, 0, len(runs))
	for _, p := range runs {
		values = append(values, measure(p))
	}
	sort.Slice(values, func(i, j int) bool { return values[i] < values[j] })
	return values[len(values)/2]
}

// median returns the run with the median wall time.
func median(runs []phase) phase {
	sorted := append([]phase(nil), runs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].wall < sorted[j].wall })
	return sorted[len(sorted)/2]
}

// runTofu runs one CLI command, with the wrapper of the dev override running binary
// as the provider, and reads the CPU and peak memory of the CLI and of the provider
// processes from their rusage.
func runTofu(tofu, dir string, env []string, binary string, args ...string) (phase, error) {
	record, err := os.CreateTemp("", "openhexa-bench-rusage-")
	if err != nil {
		return phase{}, err
	}
	_ = record.Close()
	defer func() { _ = os.Remove(record.Name()) }()
	var out bytes.Buffer
	cmd := exec.Command(tofu, args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, &out, &out
	cmd.Env = append(append([]string(nil), env...), envWrapProvider+"="+binary, envWrapRusage+"="+record.Name())
	started := time.Now()
	err = cmd.Run()
	p := phase{wall: time.Since(started), output: out.String()}
	if cmd.ProcessState == nil {
		return p, err
	}
	u, uerr := readUsage(record.Name())
	if uerr != nil && err == nil {
		err = uerr
	}
	// The CLI's rusage includes its children's once it has waited for them: the
	// wrappers, and through them the providers.
	total := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	p.provider, p.cli, p.peakKB = u.provider, total-u.provider-u.wrappers, u.peakKB
	return p, err
}

// runReal measures a real instance (real.go).
func runReal(o options) error {
	target, err := realTargetFromEnv()
	if err != nil {
		return err
	}
	fmt.Println("==> building the provider, as it is and with one read per resource")
	binaries, err := buildVariants(o.work)
	if err != nil {
		return err
	}
	return forEachSize(o.sizes, func(n int) (string, error) { return benchRealN(o, target, n, binaries) })
}

// defaultWorkspace is the workspace of the in-process test server.
const defaultWorkspace = openhexatest.WorkspaceMain

func connectionsConfig(n int) string { return connectionsConfigNamed(n, "") }

// connectionsConfigNamed writes N connections of mixed types whose names start with prefix.
func connectionsConfigNamed(n int, prefix string) string {
	var sb strings.Builder
	sb.WriteString(`terraform {
  required_providers {
    openhexa = { source = "blsq/openhexa" }
  }
}
variable "url" { type = string }
variable "token" {
  type      = string
  sensitive = true
}
provider "openhexa" {
  url       = var.url
  token     = var.token
  workspace = "` + defaultWorkspace + `"
}
`)
	for i := range n {
		switch i % 5 {
		case 0:
			fmt.Fprintf(&sb, `resource "openhexa_postgres_connection" "c%d" {
  name     = "%sbench postgres %d"
  host     = "db%d.example.org"
  db_name  = "warehouse"
  username = "reader"
  password = "not-a-real-password-%d"
}
`, i, prefix, i, i, i)
		case 1:
			fmt.Fprintf(&sb, `resource "openhexa_dhis2_connection" "c%d" {
  name     = "%sbench dhis2 %d"
  url      = "https://dhis2-%d.example.org"
  username = "admin"
  password = "not-a-real-password-%d"
}
`, i, prefix, i, i, i)
		case 2:
			fmt.Fprintf(&sb, `resource "openhexa_s3_connection" "c%d" {
  name              = "%sbench s3 %d"
  bucket_name       = "bucket-%d"
  access_key_id     = "AKIAEXAMPLE%d"
  access_key_secret = "not-a-real-secret-%d"
}
`, i, prefix, i, i, i, i)
		case 3:
			fmt.Fprintf(&sb, `resource "openhexa_iaso_connection" "c%d" {
  name     = "%sbench iaso %d"
  url      = "https://iaso-%d.example.org"
  username = "admin"
  password = "not-a-real-password-%d"
}
`, i, prefix, i, i, i)
		default:
			fmt.Fprintf(&sb, `resource "openhexa_custom_connection" "c%d" {
  name          = "%sbench custom %d"
  fields        = { base_url = "https://api-%d.example.org", sender = "HEXA" }
  secret_fields = { api_key = "not-a-real-key-%d" }
}
`, i, prefix, i, i, i)
		}
	}
	return sb.String()
}

func terraformDataConfig(n int) string {
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, "resource \"terraform_data\" \"d%d\" {\n  input = \"value %d\"\n}\n", i, i)
	}
	return sb.String()
}

func formatKB(kb int64) string {
	if kb == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1fMB", float64(kb)/1024)
}

func formatOps(ops map[string]int) string {
	names := make([]string, 0, len(ops))
	for k := range ops {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names))
	for _, k := range names {
		parts = append(parts, fmt.Sprintf("%s=%d", k, ops[k]))
	}
	return strings.Join(parts, " ")
}

func tail(s string, lines int) string {
	all := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}
