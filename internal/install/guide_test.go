package install_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/acctest"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// codeBlock is a fenced code block of a guide: its language and its text.
type codeBlock struct{ lang, text string }

var (
	fenceRE = regexp.MustCompile("(?ms)^```([a-z]*)\n(.*?)^```$")
	// ansiRE matches the colour codes of the CLIs' output (the guide's commands ask for it).
	ansiRE = regexp.MustCompile(`\x1b\[[0-9;]*m`)
)

// guideSection is the code blocks of the section of templates/guides/<guide> whose
// heading starts with heading, up to the next section.
func guideSection(t *testing.T, guide, heading string) []codeBlock {
	t.Helper()
	content, err := os.ReadFile(filepath.Join(repoRoot(t), "templates", "guides", guide))
	if err != nil {
		t.Fatal(err)
	}
	text := string(content)
	start := strings.Index(text, "\n"+heading)
	if start < 0 {
		t.Fatalf("%s has no section %q", guide, heading)
	}
	text = text[start+1:]
	if end := strings.Index(text[len(heading):], "\n## "); end >= 0 {
		text = text[:len(heading)+end]
	}
	var blocks []codeBlock
	for _, m := range fenceRE.FindAllStringSubmatch(text, -1) {
		blocks = append(blocks, codeBlock{lang: m[1], text: m[2]})
	}
	return blocks
}

// guideShell runs a shell block of a guide in dir, as a user types it: `tofu` is the CLI
// under test, and a line exporting OPENHEXA_* settings is left out, since env already
// holds the test server's. It returns the output without colours.
func guideShell(t *testing.T, dir string, env []string, block string) string {
	t.Helper()
	var script strings.Builder
	script.WriteString("tofu() { \"$GUIDE_CLI\" \"$@\"; }\n")
	for _, line := range strings.Split(block, "\n") {
		if !strings.HasPrefix(line, "export OPENHEXA_") {
			script.WriteString(line + "\n")
		}
	}
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script.String())
	cmd.Dir = dir
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("the guide's commands failed in %s (%v):\n%s\n%s", dir, err, block, out.String())
	}
	return ansiRE.ReplaceAllString(out.String(), "")
}

// TestAccInfraRepoGuide follows section 2 of the guide "Using the provider in an infra
// repo" from a clean HOME, with the registry of the signed release standing in for
// registry.opentofu.org (a `host` block: the only thing the guide does not say, since the
// public registry needs none): in a new git repository, its configuration, then its
// commands in order (init, providers lock, commit, plan); then, in a fresh clone with
// another clean HOME, the commands it gives for CI (`init -lockfile=readonly`, plan).
// Every command must succeed the first time, the CI job must install the release as
// signed, and the committed lock file stays as it was.
func TestAccInfraRepoGuide(t *testing.T) {
	cli := acctest.CLIPath(t)
	rel := signedRelease(t)
	reg := startRegistry(t, rel.dist, rel.version, rel.signer)
	srv := openhexatest.Start(t)

	blocks := guideSection(t, "infra-repo.md.tmpl", "## 2. ")
	var config string
	var developer []string
	var ci string
	for _, b := range blocks {
		switch {
		case b.lang == "hcl" && config == "":
			config = b.text
		case b.lang == "shell" && strings.Contains(b.text, "-lockfile=readonly"):
			ci = b.text
		case b.lang == "shell":
			developer = append(developer, b.text)
		}
	}
	if config == "" || ci == "" || len(developer) == 0 {
		t.Fatalf("section 2 lacks a configuration, the developer's commands or CI's: %v", blocks)
	}

	tmp := t.TempDir()
	// environ is what a shell of the guide gets on a machine with a clean HOME.
	environ := func(dir string) []string {
		r := registryRun(t, cli, dir, reg, "registry.opentofu.org")
		return append(r.env(),
			"GUIDE_CLI="+cli,
			"OPENHEXA_URL="+srv.URL(),
			"OPENHEXA_TOKEN="+openhexatest.TokenAdmin,
			"OPENHEXA_WORKSPACE="+openhexatest.WorkspaceMain,
			"GIT_AUTHOR_NAME=Infra Team", "GIT_AUTHOR_EMAIL=infra@example.invalid",
			"GIT_COMMITTER_NAME=Infra Team", "GIT_COMMITTER_EMAIL=infra@example.invalid",
		)
	}

	repo := filepath.Join(tmp, "infra")
	if err := os.MkdirAll(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	env := environ(repo)
	if err := os.WriteFile(filepath.Join(repo, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	guideShell(t, repo, env, "git init -q && git add main.tf && git commit -q -m 'OpenHEXA connections'")
	var out strings.Builder
	for _, block := range developer {
		out.WriteString(guideShell(t, repo, env, block))
	}
	if !signedInstallRE(rel.version, rel.signer.keyID).MatchString(out.String()) {
		t.Errorf("init did not install %s signed by %s:\n%s", rel.version, rel.signer.keyID, out.String())
	}
	lockEntryFor(t, repo, "registry.opentofu.org/blsq/openhexa", rel.version, "~> 0.4")

	checkout := filepath.Join(tmp, "ci")
	guideShell(t, tmp, env, "git clone -q infra ci")
	ciOut := guideShell(t, checkout, environ(checkout), ci)
	if !signedInstallRE(rel.version, rel.signer.keyID).MatchString(ciOut) {
		t.Errorf("the CI job did not install %s signed by %s:\n%s", rel.version, rel.signer.keyID, ciOut)
	}
	if status := guideShell(t, checkout, env, "git status --porcelain -- .terraform.lock.hcl"); status != "" {
		t.Errorf("the CI job changed the committed lock file: %s", status)
	}
}
