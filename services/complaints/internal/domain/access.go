package domain

// Caller is who asks for a complaint. LGOOnly: the caller's only complaints role is the
// Ombudsman escalation handler's.
type Caller struct {
	Officer string
	LGOOnly bool
}

// StageOnly is the one stage the caller may know complaints at (0: every stage). The
// escalation handler handles Ombudsman enquiries, responses, decisions and remedies on
// stage 3; stage 1 and 2 complaints, with the complainant's details, are not theirs.
func (who Caller) StageOnly() int {
	if who.LGOOnly {
		return 3
	}
	return 0
}

// MayAccess reports whether who may read or act on the complaint at all; a complaint they
// may not is answered as one that does not exist.
func (c *Complaint) MayAccess(who Caller) bool {
	only := who.StageOnly()
	return only == 0 || c.Stage == only
}
