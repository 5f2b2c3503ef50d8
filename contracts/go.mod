module casework.dev/contracts

go 1.26
