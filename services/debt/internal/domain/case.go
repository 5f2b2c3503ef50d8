// Package domain holds the rules of debt recovery under the Taking Control of Goods
// procedure (Tribunals, Courts and Enforcement Act 2007 Schedule 12; Taking Control of Goods
// Regulations 2013, SI 2013/1894; Taking Control of Goods (Fees) Regulations 2014, SI 2014/1):
// stages, fees, apportionment of payments, visits, arrangements, vulnerability and returns
// to the client. It imports no driver, broker or HTTP package. Money is int64 pence.
package domain

import (
	"strings"
	"time"

	"casework.dev/pkg/calendar"
)

// Stage is the fee stage a case has reached (Fees Regulations 2014 reg 5).
type Stage string

const (
	StageCompliance  Stage = "compliance"
	StageEnforcement Stage = "enforcement"
	StageSale        Stage = "sale"
)

// Stages in the order the procedure reaches them.
var Stages = []Stage{StageCompliance, StageEnforcement, StageSale}

// Status is where a case stands; paid and returned are closed.
type Status string

const (
	StatusCompliance  Status = "compliance"
	StatusEnforcement Status = "enforcement"
	StatusSale        Status = "sale"
	StatusPaid        Status = "paid"
	StatusReturned    Status = "returned"
)

// DebtTypes a client may refer, each with the order that makes it enforceable.
var DebtTypes = map[string]string{
	"council_tax":    "liability_order",
	"business_rates": "liability_order",
	"pcn":            "warrant", // a penalty charge notice after a warrant of control (Traffic Enforcement Centre)
	"sundry":         "judgment",
}

// Actor is who acts and when, with the calendar that dates everything and the fee
// schedules known to the service: a stage's fee is charged under the schedule in force on
// the day the stage began (Schedules.ForStage; the case's own, chosen at referral, when
// none is given).
type Actor struct {
	Officer   string
	Now       time.Time
	Cal       *calendar.Calendar
	Schedules Schedules
}

// Event is what a change did: its type (the subject suffix) and anonymous detail for the
// audit trail. Neither carries personal data.
type Event struct {
	Type   string
	Detail map[string]any
}

// Neutral names the status event gives a change about a debtor's vulnerability.
const (
	ChangeEnforcementHeld    = "enforcement.held"
	ChangeEnforcementResumed = "enforcement.resumed"
	ChangeCaseReturned       = "case.returned"
)

// StatusChange is the change as the status event names it. Status events reach every
// manager on the shared account, and a case flagged or reviewed as vulnerable says its
// debtor's health is at issue (special category data by inference), so such a change is
// named for what it did to enforcement: held, resumed, or the case returned as any other
// return is. A review that leaves another debtor's vulnerability awaiting review resumes
// nothing: enforcement is still held. A review recorded on a case already returned resumes
// nothing either: it is named for the case's return, as the flag that returned it was.
// Every other change keeps its type.
func (e Event) StatusChange() string {
	switch {
	case !strings.HasPrefix(e.Type, "vulnerability."):
		return e.Type
	case e.Detail["returned"] != nil || e.Detail["already_returned"] == true:
		return ChangeCaseReturned
	case e.Type == "vulnerability.reviewed" && e.Detail["enforcement_held"] != true:
		return ChangeEnforcementResumed
	}
	return ChangeEnforcementHeld
}

// Client is a tenant: a council and a debt type.
type Client struct {
	ID       string
	Council  string // the notice recipient id of the council
	DebtType string
	Name     string
	// CreditorIsAgent: the creditor and the enforcement agent are the same legal person, so
	// fees are paid before the debt (Fees Regulations 2014 reg 13(5)).
	CreditorIsAgent bool
}

// Order is the liability order, warrant or judgment that makes the debt enforceable.
type Order struct {
	Kind      string
	Date      calendar.Date
	Reference string
}

// Debtor is the personal data of a case, kept in its own rows so erasure deletes them.
type Debtor struct {
	Names                 []string
	Address               string
	Phone                 string
	Email                 string
	Gender                string
	Employment            string
	VehicleRegistration   string
	FinancialInformation  string
	ReportedVulnerability string // what the client told us when referring
	// ReportedVulnerableDebtor is whose the reported vulnerability is: a position in Names
	// from 1 (as NewReferral.VulnerableDebtor), 0 when not known.
	ReportedVulnerableDebtor int
}

// NoticeOfEnforcement is the notice given on referral (SI 2013/1894 regs 6, 7 and 9).
type NoticeOfEnforcement struct {
	IssuedAt time.Time
	// EarliestControl: the first day control may be taken, after the schedule's clear days.
	EarliestControl calendar.Deadline
	// ControlLimit: the last day of the 12 months beginning with the notice (reg 9).
	ControlLimit calendar.Deadline
}

// Visit is one attendance by an enforcement agent.
type Visit struct {
	N             int
	At            time.Time
	Agent         string
	Outcome       string
	BodyWornVideo string // reference of the footage, never the footage
	Exception     string // the reg 13(2) exception relied on outside 06:00-21:00
	Purpose       string // a removal attendance's: remove_for_sale or prepare_for_sale
}

// Visit outcomes.
const (
	OutcomeNoContact         = "no_contact"
	OutcomeControlledGoods   = "controlled_goods_agreement"
	OutcomeGoodsRemoved      = "goods_removed"
	OutcomeNullaBona         = "nulla_bona"
	ExceptionCourtOrder      = "court_order"         // reg 13(2)(a)
	ExceptionTradePremises   = "trade_premises_open" // reg 13(2)(b)
	ExceptionContinuingVisit = "continuation"        // reg 13(2)(c)
)

// VisitOutcomes and VisitExceptions are the values the API accepts.
var (
	VisitOutcomes   = []string{OutcomeNoContact, OutcomeControlledGoods, OutcomeGoodsRemoved, OutcomeNullaBona}
	VisitExceptions = []string{ExceptionCourtOrder, ExceptionTradePremises, ExceptionContinuingVisit}
)

// GoodsControl records that control of goods was taken, and how.
type GoodsControl struct {
	At  time.Time
	How string // controlled_goods_agreement or goods_removed
	By  string
}

// SaleNotice is the notice of sale and the earliest day of sale (SI 2013/1894 reg 37: at
// least 7 clear days).
type SaleNotice struct {
	IssuedAt     time.Time
	EarliestSale calendar.Deadline
	SoldAt       *time.Time
}

// Vulnerability is a flag on the case about one of its debtors. A case holds at most one a
// debtor. Whose it is and its nature are personal data (the nature special category): they
// are kept with the debtor's personal data and erased with it; the flag and its review are
// anonymous facts of the case.
type Vulnerability struct {
	// Debtor is whose it is: a position in the case's names from 1 (as the rights service's
	// records name joint debtors); 0 when not known, for one recorded on a joint case before
	// a vulnerability had to name its debtor, or once the personal data was erased.
	Debtor int
	// Nature is what the officer recorded of it (special category data: never on an event,
	// in the audit trail or a log); empty for one the client reported with the referral
	// (Debtor.ReportedVulnerability says what it is).
	Nature            string
	FlaggedAt         time.Time
	FlaggedBy         string
	Acute             bool
	ReviewedAt        *time.Time
	ReviewedBy        string
	AdviceOpportunity bool // the debtor was given an adequate opportunity to get advice (Fees reg 12)
}

// PendingReview reports whether enforcement is held until an officer reviews the flag.
func (v *Vulnerability) PendingReview() bool { return v != nil && v.ReviewedAt == nil }

// Return is the case going back to the client, with why.
type Return struct {
	Reason string
	At     time.Time
	By     string
}

// Return reasons.
const (
	ReturnPaid         = "paid"
	ReturnNullaBona    = "nulla_bona"
	ReturnTraceFailed  = "trace_failed"
	ReturnVulnerable   = "vulnerable"
	ReturnRecalled     = "recalled"
	ReturnControlLimit = "control_limit_passed" // 12 months from the notice passed (reg 9)
)

// OfficerReturnReasons are those an officer may give; the others follow from events.
var OfficerReturnReasons = []string{ReturnNullaBona, ReturnTraceFailed, ReturnVulnerable}

// LegalHold stops retention erasure.
type LegalHold struct {
	Reason string
	SetAt  time.Time
	SetBy  string
}

// Case is one debt referred by a client, through the procedure to payment or return.
type Case struct {
	ID              string
	Reference       string
	ClientID        string
	ClientReference string
	DebtType        string
	Order           Order
	DebtPence       int64
	Stage           Stage
	Status          Status
	ReferredAt      time.Time
	Schedule        ScheduleChoice
	Notice          NoticeOfEnforcement
	Fees            []Fee
	Payments        []Payment
	Visits          []Visit
	GoodsControlled *GoodsControl
	SaleNotice      *SaleNotice
	Arrangement     *Arrangement
	// ArrangementReviews are the officers' decisions on breached arrangements, oldest
	// first, those on arrangements since replaced included.
	ArrangementReviews []ArrangementReview
	// Vulnerabilities are the debtors' flags, at most one a debtor, in the order last
	// flagged: the most recently flagged is the last.
	Vulnerabilities []Vulnerability
	Debtor          Debtor
	// Consents are the debtors' consents to share, each naming who gave it, withdrawn ones
	// kept (personal data: erased with the debtor's).
	Consents []Consent
	// NecessityFindings are the officers' recorded findings that the welfare team needed
	// the debtor's data (personal data: erased with the debtor's).
	NecessityFindings []NecessityFinding
	Returned          *Return
	ClosedAt          *time.Time
	RetentionDue      calendar.Date
	LegalHold         *LegalHold
	ErasedAt          *time.Time
	Version           int
}

// CaseVersion is the version every save steps, the case's entity tag.
func (c *Case) CaseVersion() int { return c.Version }

// Closed reports whether the case was paid or returned.
func (c *Case) Closed() bool { return c.ClosedAt != nil }

// Erased reports whether retention removed the personal data.
func (c *Case) Erased() bool { return c.ErasedAt != nil }
