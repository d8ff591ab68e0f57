module github.com/gatekit/gatekit

go 1.26

require (
	github.com/aws/aws-lambda-go v1.55.1
	go.uber.org/goleak v1.3.0
)
