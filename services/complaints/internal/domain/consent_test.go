package domain_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"casework.dev/services/complaints/internal/domain"
)

const recipient = "housing_association"

func TestConsentRecordAndWithdraw(t *testing.T) {
	c := acknowledged1(t)
	given := ack1At.Add(time.Hour)
	e, err := c.RecordConsent(recipient, false, actor(t, officerA, given))
	if err != nil {
		t.Fatalf("RecordConsent: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "consent.recorded", Stage: 1, Detail: map[string]any{"recipient": recipient}})
	want := domain.Consent{Recipient: recipient, GivenAt: given, RecordedBy: officerA}
	if got := c.Consents[recipient]; !reflect.DeepEqual(got, want) {
		t.Errorf("consent = %+v, want %+v", got, want)
	}
	if !c.HasConsent(recipient) || c.HasConsent("police") {
		t.Errorf("HasConsent(%s, police) = %v, %v; want true, false", recipient, c.HasConsent(recipient), c.HasConsent("police"))
	}

	e, err = c.RecordConsent(recipient, false, actor(t, officerB, given.Add(time.Hour)))
	assertRule(t, err, "consent_already_recorded")
	assertNoEvent(t, e)
	if got := c.Consents[recipient]; !reflect.DeepEqual(got, want) {
		t.Errorf("refused re-record changed the consent to %+v", got)
	}

	withdrawn := given.Add(24 * time.Hour)
	e, err = c.WithdrawConsent(recipient, actor(t, officerB, withdrawn))
	if err != nil {
		t.Fatalf("WithdrawConsent: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "consent.withdrawn", Stage: 1, Detail: map[string]any{"recipient": recipient}})
	got := c.Consents[recipient]
	assertInstant(t, "WithdrawnAt", got.WithdrawnAt, &withdrawn)
	if got.Recipient != recipient || !got.GivenAt.Equal(given) || got.RecordedBy != officerA {
		t.Errorf("withdrawal changed the record of consent: %+v", got)
	}
	if c.HasConsent(recipient) {
		t.Error("HasConsent after withdrawal = true")
	}

	e, err = c.WithdrawConsent(recipient, actor(t, officerB, withdrawn.Add(time.Hour)))
	assertRule(t, err, "no_consent")
	assertNoEvent(t, e)
	assertInstant(t, "WithdrawnAt after refused repeat", c.Consents[recipient].WithdrawnAt, &withdrawn)

	// Consent may be given again after a withdrawal.
	again := withdrawn.Add(48 * time.Hour)
	if _, err := c.RecordConsent(recipient, false, actor(t, officerC, again)); err != nil {
		t.Fatalf("RecordConsent after withdrawal: %v", err)
	}
	want = domain.Consent{Recipient: recipient, GivenAt: again, RecordedBy: officerC}
	if got := c.Consents[recipient]; !reflect.DeepEqual(got, want) {
		t.Errorf("renewed consent = %+v, want %+v", got, want)
	}
}

func TestWithdrawConsentNeverGiven(t *testing.T) {
	c := logged(t)
	_, err := c.WithdrawConsent("police", actor(t, officerA, ack1At))
	assertNotFound(t, err, "no consent to share with police on this complaint")
	if len(c.Consents) != 0 {
		t.Errorf("Consents = %+v, want none", c.Consents)
	}
}

func TestConsentEventCarriesStage(t *testing.T) {
	c := received2(t)
	e, err := c.RecordConsent(recipient, false, actor(t, officerB, escalateAt))
	if err != nil {
		t.Fatalf("RecordConsent: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "consent.recorded", Stage: 2, Detail: map[string]any{"recipient": recipient}})
}

// A complaint built without maps (e.g. read back by an adapter) still records consent.
func TestRecordConsentWithNilMap(t *testing.T) {
	c := &domain.Complaint{ID: "c-1", Stage: 1, Status: domain.StatusStage1Received}
	if _, err := c.RecordConsent(recipient, false, actor(t, officerA, ack1At)); err != nil {
		t.Fatalf("RecordConsent: %v", err)
	}
	if !c.HasConsent(recipient) {
		t.Error("HasConsent = false after RecordConsent")
	}
}

func TestConsentAfterErasure(t *testing.T) {
	c := erased(t)
	_, err := c.RecordConsent(recipient, false, actor(t, officerA, eraseAt))
	if !errors.Is(err, domain.ErrErased) {
		t.Errorf("RecordConsent after erasure: %v, want ErrErased", err)
	}
	_, err = c.WithdrawConsent("councillor", actor(t, officerA, eraseAt))
	if !errors.Is(err, domain.ErrErased) {
		t.Errorf("WithdrawConsent after erasure: %v, want ErrErased", err)
	}
	if len(c.Consents) != 0 {
		t.Errorf("Consents = %+v after erasure", c.Consents)
	}
}

func TestDisclosed(t *testing.T) {
	c := received2(t)
	e := c.Disclosed(recipient, "rehousing", []string{"name", "address"}, escalateAt)
	assertEvent(t, e, domain.Event{Type: "disclosed", Stage: 2,
		Detail: map[string]any{"recipient": recipient, "purpose": "rehousing", "categories": []string{"name", "address"}}})
}
