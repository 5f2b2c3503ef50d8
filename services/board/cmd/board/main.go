// Command board runs the managers' live board: it follows every service's status events into
// its own read model and serves the figures as a web page that updates itself.
package main

import "casework.dev/pkg/bootstrap"

func main() { bootstrap.Main("board", run) }
