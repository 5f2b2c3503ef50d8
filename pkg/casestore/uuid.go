package casestore

import "github.com/google/uuid"

func validUUID(s string) bool { return len(s) == 36 && uuid.Validate(s) == nil }
