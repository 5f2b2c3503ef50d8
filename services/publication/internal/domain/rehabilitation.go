package domain

import (
	"fmt"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/notice"
)

// SentenceType is the kind of sentence, as the Rehabilitation of Offenders Act 1974 s5
// (as amended by the Police, Crime, Sentencing and Courts Act 2022 s193, in force from
// 28 October 2023) sorts them.
type SentenceType string

const (
	SentenceAbsoluteDischarge    SentenceType = "absolute_discharge"
	SentenceConditionalDischarge SentenceType = "conditional_discharge"
	SentenceFine                 SentenceType = "fine"
	// SentenceCommunityOrder is a community order, or a youth rehabilitation order for
	// someone under 18.
	SentenceCommunityOrder SentenceType = "community_order"
	// SentenceCustody is imprisonment or detention, immediate or suspended (s5 treats a
	// suspended sentence as custodial).
	SentenceCustody SentenceType = "custody"
	// SentenceCustodyNeverSpent is excluded from rehabilitation (s5(1)): life, imprisonment
	// or detention for public protection, or over 4 years for an offence in Schedule 18 to
	// the Sentencing Code (serious violent, sexual and terrorist offences).
	SentenceCustodyNeverSpent SentenceType = "custody_never_spent"
)

// SentenceTypes lists every type, in the order the Act's table reads.
var SentenceTypes = []SentenceType{SentenceAbsoluteDischarge, SentenceConditionalDischarge, SentenceFine,
	SentenceCommunityOrder, SentenceCustody, SentenceCustodyNeverSpent}

// Sentence is the sentence as the rehabilitation rules need it.
type Sentence struct {
	Type SentenceType
	// Term is a custodial sentence's length as imposed, e.g. "6m", "18m", "2y", "12w".
	Term string
	// EndsOn: for custody, the day the sentence (licence included) is completed; for a
	// community order or conditional discharge, the last day the order has effect.
	EndsOn calendar.Date
}

// Rehabilitation is when a conviction becomes spent and how that was worked out.
type Rehabilitation struct {
	NeverSpent bool
	// SpentOn is the first day the conviction is spent (zero when never).
	SpentOn calendar.Date
	// Rule names the row of the Act's table applied, in words.
	Rule string
	// Computation is the calendar's working, from the day the period runs from.
	Computation *calendar.Deadline
}

// rehabilitation periods of s5(2) Table A, in months: adults, and those under 18 at conviction.
type period struct{ adult, under18 int }

var (
	finePeriod            = period{12, 6}
	custodyUpTo1Year      = period{12, 6}
	custodyUpTo4Years     = period{48, 24}
	custodyOver4Years     = period{84, 42}
	custodyBandLimits     = [2]int{12, 48} // months: 1 year, 4 years
	rehabilitationCite    = "Rehabilitation of Offenders Act 1974 s5 as amended from 28 October 2023"
	neverSpentRule        = "a custodial sentence excluded from rehabilitation (life, IPP, or over 4 years for a Schedule 18 offence): never spent"
	absoluteDischargeRule = "absolute discharge: no rehabilitation period; spent on conviction"
)

func (p period) months(under18 bool) int {
	if under18 {
		return p.under18
	}
	return p.adult
}

func ageWords(under18 bool) string {
	if under18 {
		return "under 18 at conviction"
	}
	return "18 or over at conviction"
}

// Validate checks the sentence has what its type needs.
func (s Sentence) Validate(convicted calendar.Date) error {
	needsEnd := s.Type == SentenceCustody || s.Type == SentenceCommunityOrder || s.Type == SentenceConditionalDischarge
	switch {
	case !validSentenceType(s.Type):
		return &ValidationError{Field: "sentence/type", Detail: fmt.Sprintf("%q is not a sentence type", s.Type)}
	case s.Type == SentenceCustody && s.Term == "":
		return &ValidationError{Field: "sentence/term", Detail: "a custodial sentence needs its term as imposed, e.g. 6m, 18m or 2y"}
	case s.Type != SentenceCustody && s.Term != "":
		return &ValidationError{Field: "sentence/term", Detail: "only a custodial sentence has a term here"}
	case needsEnd && s.EndsOn.IsZero():
		return &ValidationError{Field: "sentence/ends_on", Detail: "is needed: the day the sentence is completed, or the last day the order has effect"}
	case !needsEnd && !s.EndsOn.IsZero():
		return &ValidationError{Field: "sentence/ends_on", Detail: fmt.Sprintf("a %s has no end date here", s.Type)}
	case needsEnd:
		// Bounded as every period is (notice.MaxPeriodYears): the spent date and the register's
		// dates must stay within what is stored and written.
		latest := calendar.Limit{Date: calendar.YearsFrom(convicted, notice.MaxPeriodYears),
			Name: fmt.Sprintf("%d years after the date of conviction", notice.MaxPeriodYears)}
		if err := calendar.Within(s.EndsOn, calendar.Limit{Date: convicted, Name: "the date of conviction"}, latest); err != nil {
			return &ValidationError{Field: "sentence/ends_on", Detail: err.Error()}
		}
	}
	if s.Type == SentenceCustody {
		p, err := notice.ParsePeriod(s.Term)
		if err != nil || p.Hours != 0 {
			return &ValidationError{Field: "sentence/term", Detail: "write the term like 6m, 18m, 2y or 12w"}
		}
	}
	return nil
}

func validSentenceType(t SentenceType) bool {
	for _, s := range SentenceTypes {
		if s == t {
			return true
		}
	}
	return false
}

// Rehabilitate works out when a conviction on convicted with sentence s becomes spent. The
// sentence must have passed Validate.
func Rehabilitate(cal *calendar.Calendar, convicted calendar.Date, s Sentence, under18 bool) Rehabilitation {
	at := func(d calendar.Date) time.Time { return d.StartOfDay() }
	// spentAfter: the period of months "beginning with" from; spent on the day after it ends
	// (the period's last day by the corresponding date rule: 12 months beginning with 29
	// February 2028 end on 28 February 2029, so it is spent on 1 March). No months: spent on
	// from itself.
	spentAfter := func(from calendar.Date, months int, rule string) Rehabilitation {
		rule += " (" + rehabilitationCite + ")"
		if months == 0 {
			dl := cal.AddMonths(at(from), 0)
			return Rehabilitation{SpentOn: dl.DueDate, Rule: rule, Computation: &dl}
		}
		dl := cal.MonthsBeginningWith(at(from), months)
		return Rehabilitation{SpentOn: dl.DueDate.AddDays(1), Rule: rule, Computation: &dl}
	}
	age := ageWords(under18)
	switch s.Type {
	case SentenceAbsoluteDischarge:
		return spentAfter(convicted, 0, absoluteDischargeRule)
	case SentenceFine:
		m := finePeriod.months(under18)
		return spentAfter(convicted, m, fmt.Sprintf("fine, %s: %d months beginning with the date of conviction", age, m))
	case SentenceConditionalDischarge, SentenceCommunityOrder:
		return spentAfter(s.EndsOn.AddDays(1), 0, fmt.Sprintf("%s: the period ends on the last day the order has effect (%s)", s.Type, s.EndsOn))
	case SentenceCustody:
		band, p := custodyBand(cal, convicted, s.Term)
		m := p.months(under18)
		return spentAfter(s.EndsOn, m, fmt.Sprintf("custody %s, %s: %d months beginning with the day the sentence (licence included) is completed", band, age, m))
	}
	return Rehabilitation{NeverSpent: true, Rule: neverSpentRule + " (" + rehabilitationCite + ")"}
}

// custodyBand sorts a term into the Act's three bands by comparing, on the calendar, where
// the term would end against 1 and 4 years from conviction.
func custodyBand(cal *calendar.Calendar, convicted calendar.Date, term string) (string, period) {
	p, err := notice.ParsePeriod(term) // validated when drafted
	if err != nil {
		// Stored before periods were bounded (over 100 years): longer than any band's limit.
		return "of more than 4 years (" + term + ")", custodyOver4Years
	}
	start := convicted.StartOfDay()
	termEnd := cal.AddMonths(start, 12*p.Years+p.Months).DueDate.AddDays(p.Days)
	switch {
	case !termEnd.After(cal.AddMonths(start, custodyBandLimits[0]).DueDate):
		return "of 1 year or less (" + term + ")", custodyUpTo1Year
	case !termEnd.After(cal.AddMonths(start, custodyBandLimits[1]).DueDate):
		return "of more than 1 year and up to 4 years (" + term + ")", custodyUpTo4Years
	}
	return "of more than 4 years (" + term + ")", custodyOver4Years
}
