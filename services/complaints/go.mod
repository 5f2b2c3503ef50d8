module casework.dev/services/complaints

go 1.26
