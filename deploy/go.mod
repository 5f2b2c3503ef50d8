module casework.dev/deploy

go 1.26
