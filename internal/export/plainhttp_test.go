package export_test

import (
	"bytes"
	"net"
	"strings"
	"testing"

	"github.com/blsq/terraform-provider-openhexa/internal/export"
	"github.com/blsq/terraform-provider-openhexa/internal/openhexatest"
)

// otherHostURL is an http:// URL of this machine by one of its addresses that is not
// loopback, on a port where nothing listens: to the plain-http rule it is another
// host, and a request to it is refused at once, without leaving the machine.
func otherHostURL(t *testing.T) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		ipNet, ok := a.(*net.IPNet)
		if !ok || ipNet.IP.IsLoopback() || ipNet.IP.To4() == nil || ipNet.IP.IsLinkLocalUnicast() {
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort(ipNet.IP.String(), "0"))
		if err != nil {
			continue
		}
		addr := l.Addr().String()
		_ = l.Close()
		return "http://" + addr
	}
	t.Skip("this machine has no IPv4 address but loopback to stand for another host")
	return ""
}

// TestExportWarnsOverPlainHTTP: the export warns, as the provider does, before it
// reads anything over plain http:// from a host that is not this machine, and says
// that -write-secret-values reads every secret that way; a loopback server gets no
// warning; a URL with credentials is refused without showing them.
func TestExportWarnsOverPlainHTTP(t *testing.T) {
	other := otherHostURL(t)
	run := func(url string, args ...string) (string, int) {
		t.Setenv("OPENHEXA_URL", url)
		t.Setenv("OPENHEXA_TOKEN", openhexatest.TokenEditor)
		t.Setenv("HEXA_SERVER_URL", "")
		t.Setenv("HEXA_TOKEN", "")
		var out, errOut bytes.Buffer
		code := export.Main(append([]string{"-workspace", openhexatest.WorkspaceMain, "-dir", t.TempDir()}, args...), &out, &errOut, "test")
		return errOut.String(), code
	}

	stderr, code := run(other)
	warning := "warning: The export reaches " + other + " over plain http://"
	if code != 1 || !strings.Contains(stderr, warning) || !strings.Contains(stderr, "unencrypted") {
		t.Errorf("plain http to another host (exit %d): no warning:\n%s", code, stderr)
	}
	if strings.Index(stderr, warning) > strings.Index(stderr, "export failed") {
		t.Errorf("the warning comes after the failure:\n%s", stderr)
	}
	if strings.Contains(stderr, "-write-secret-values") {
		t.Errorf("the warning speaks of -write-secret-values, not given:\n%s", stderr)
	}

	stderr, _ = run(other, "-write-secret-values")
	if !strings.Contains(stderr, "With -write-secret-values it reads every secret value the token may read, so all of them cross the network unencrypted.") {
		t.Errorf("with -write-secret-values, the warning does not say it reads every secret unencrypted:\n%s", stderr)
	}

	srv := openhexatest.Start(t)
	if stderr, code := run(srv.URL(), "-write-secret-values"); code != 0 || strings.Contains(stderr, "plain http") {
		t.Errorf("a loopback server (exit %d): %s", code, stderr)
	}

	withPassword := strings.Replace(srv.URL(), "http://", "http://alice:URLPW-LEAKMARKER@", 1)
	before := len(srv.Requests())
	stderr, code = run(withPassword)
	if code != 1 || !strings.Contains(stderr, "holds a user name or password") || strings.Contains(stderr, "URLPW-LEAKMARKER") {
		t.Errorf("a URL with credentials (exit %d):\n%s", code, stderr)
	}
	if sent := len(srv.Requests()) - before; sent != 0 {
		t.Errorf("the export sent %d requests to a URL it refuses", sent)
	}
}
