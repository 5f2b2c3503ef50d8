// Package domain holds the delivery worker's rules: who receives by webhook, how often a
// disclosure is tried, and when it is given up to the dead-letter list.
package domain

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
)

// Partner is one recipient that receives disclosures by signed webhook. The wiring fills
// it from the partners contract; Secret is the "whsec_..." key shared with the partner.
type Partner struct {
	ID     string
	URL    string
	Secret string `json:"-"`
}

// partnerID is a single NATS subject token, as in share.<partner>.>.
var partnerID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// Validate refuses a partner the worker could not serve safely.
func (p Partner) Validate() error {
	if !partnerID.MatchString(p.ID) {
		return fmt.Errorf("partner id %q: want lower-case letters, digits, '-' or '_'", p.ID)
	}
	u, err := url.Parse(p.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("partner %s: url %q is not an absolute http(s) URL", p.ID, p.URL)
	}
	// Personal data crosses the network only encrypted: plain http is for a receiver on
	// this machine (a test's, the local stack's), never for another host.
	if u.Scheme == "http" && !loopback(u.Hostname()) {
		return fmt.Errorf("partner %s: url %q must use https: only a loopback address may be posted to over plain http", p.ID, p.URL)
	}
	if p.Secret == "" {
		return fmt.Errorf("partner %s: no signing secret", p.ID)
	}
	return nil
}

// loopback reports whether host names this machine: localhost or a loopback address.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
