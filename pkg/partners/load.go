package partners

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"

	"gopkg.in/yaml.v3"
)

type rawFile struct {
	Partners []rawPartner `yaml:"partners"`
}

type rawPartner struct {
	ID       string      `yaml:"id"`
	Name     string      `yaml:"name"`
	Sources  []string    `yaml:"sources"`
	Delivery string      `yaml:"delivery"`
	Webhook  *rawWebhook `yaml:"webhook"`
}

type rawWebhook struct {
	URL       string `yaml:"url"`
	SecretEnv string `yaml:"secret_env"`
}

var (
	// Ids become NATS subject tokens and (upper-cased, - to _) account names, so they are
	// kept to lower-case words joined by single hyphens: the mapping stays one to one.
	idPattern  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	envPattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
)

// Load reads and validates a partners file.
func Load(path string) (*Directory, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("partners: %w", err)
	}
	d, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("partners %s: %w", path, err)
	}
	return d, nil
}

// Parse decodes strictly (unknown fields are errors) and validates every entry; the error
// lists every problem found, each naming the entry.
func Parse(data []byte) (*Directory, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var raw rawFile
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if len(raw.Partners) == 0 {
		return nil, errors.New("no partners listed")
	}
	d := &Directory{byID: make(map[string]int, len(raw.Partners))}
	var problems []error
	secretEnvs := map[string]string{}
	for i, r := range raw.Partners {
		where := fmt.Sprintf("partners[%d]", i)
		if r.ID != "" {
			where += " (" + r.ID + ")"
		}
		p, errs := validate(r)
		for _, e := range errs {
			problems = append(problems, fmt.Errorf("%s: %w", where, e))
		}
		if prev, dup := d.byID[r.ID]; dup && r.ID != "" {
			problems = append(problems, fmt.Errorf("%s: id %q is already used by partners[%d]", where, r.ID, prev))
		}
		if p.Webhook != nil && p.Webhook.SecretEnv != "" {
			if other, dup := secretEnvs[p.Webhook.SecretEnv]; dup {
				problems = append(problems, fmt.Errorf("%s: secret_env %s is already used by %s: each partner needs its own secret", where, p.Webhook.SecretEnv, other))
			}
			secretEnvs[p.Webhook.SecretEnv] = r.ID
		}
		if _, dup := d.byID[r.ID]; !dup {
			d.byID[r.ID] = i
		}
		d.Partners = append(d.Partners, p)
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	return d, nil
}

func validate(r rawPartner) (Partner, []error) {
	var errs []error
	p := Partner{ID: r.ID, Name: r.Name, Sources: r.Sources, Delivery: Delivery(r.Delivery)}
	if !idPattern.MatchString(r.ID) {
		errs = append(errs, fmt.Errorf("id %q must be lower-case letters and digits joined by single hyphens", r.ID))
	}
	if r.Name == "" {
		errs = append(errs, errors.New("name is missing"))
	}
	if len(r.Sources) == 0 {
		errs = append(errs, errors.New("sources is missing: say which notice names this recipient"))
	}
	switch p.Delivery {
	case NATS, Internal, Served:
		if r.Webhook != nil {
			errs = append(errs, fmt.Errorf("webhook is given but delivery is %s", r.Delivery))
		}
	case Webhook:
		if r.Webhook == nil {
			errs = append(errs, errors.New("delivery is webhook but webhook (url, secret_env) is missing"))
			break
		}
		p.Webhook = &WebhookTarget{URL: r.Webhook.URL, SecretEnv: r.Webhook.SecretEnv}
		errs = append(errs, validateWebhook(*p.Webhook)...)
	default:
		errs = append(errs, fmt.Errorf("delivery %q must be nats, webhook, internal or served", r.Delivery))
	}
	return p, errs
}

func validateWebhook(w WebhookTarget) []error {
	var errs []error
	u, err := url.Parse(w.URL)
	switch {
	case err != nil:
		errs = append(errs, fmt.Errorf("webhook url: %w", err))
	case u.Scheme != "https" || u.Host == "" || u.User != nil || u.Fragment != "":
		// Disclosures carry personal data: only TLS, and no credentials in the URL.
		errs = append(errs, fmt.Errorf("webhook url %q must be https://host/path, without credentials or fragment", w.URL))
	}
	if !envPattern.MatchString(w.SecretEnv) {
		errs = append(errs, fmt.Errorf("webhook secret_env %q must name an environment variable (A-Z, 0-9, _), not hold the secret", w.SecretEnv))
	}
	return errs
}
