module casework.dev/services/complaints

go 1.26

require github.com/ardanlabs/conf/v3 v3.10.0 // indirect
