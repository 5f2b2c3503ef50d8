module casework.dev/migrations

go 1.26
